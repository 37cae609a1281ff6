using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// Builds the racks of <c>evaluate-contracts</c> from the shared data and runs every mode on the same racks:
/// rack i has servers of SPECpower model i mod 8 (older models burn more energy per unit of work), 16..40 servers,
/// a power budget that binds on every third rack (70 % of its servers at full load), interactive load and batch
/// arrivals following the Google PDU trace shifted by 7 h per rack (owners in different time zones and habits), and
/// rack 0 has a spike of 3× its work for 6 hours.
/// </summary>
internal static class Federation
{
    public static FederationReport Evaluate(FederationOptions options)
    {
        IReadOnlyList<ServerRow> models = ServerCatalog.Read(options.Servers);
        double[] shape = DemandTrace.Read(options.Demand, low: 0.2, high: 1.0);
        TimeZoneInfo zone = CarbonAlignment.FindZone("Europe/Berlin");
        MarketSeries prices = MarketSeries.ReadPrices(options.Prices, zone);
        if (prices.IntervalMinutes != 60)
        {
            throw new InputFormatException(options.Prices, 0, $"evaluate-contracts plans in hours; this series has {prices.IntervalMinutes}-minute intervals");
        }
        int hoursNeeded = options.Hours + options.BatchWindowHours + options.HorizonHours;
        long offset = prices.IndexAt(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(options.From, DateTimeKind.Unspecified), zone), TimeSpan.Zero));
        if (offset < 0 || prices.Values.Length < offset + hoursNeeded)
        {
            throw new InputFormatException(options.Prices, 0, $"needs {hoursNeeded} hours of prices from {options.From:yyyy-MM-dd HH:mm}, has {Math.Max(0, prices.Values.Length - Math.Max(0, offset))}");
        }
        // c/kWh in the series → money per kWh (the series' currency).
        double[] pricePerKwh = new double[hoursNeeded];
        for (int h = 0; h < hoursNeeded; h++)
        {
            pricePerKwh[h] = prices.Values[(int)offset + h] / 100;
        }

        var results = new List<ModeResult>();
        int contracts = 0;
        foreach (ContractMode mode in Enum.GetValues<ContractMode>())
        {
            FederationRack[] racks = BuildRacks(options, models, shape, hoursNeeded);
            var run = new FederationRun(options, mode, racks, pricePerKwh);
            contracts = Math.Max(contracts, run.ContractCount);
            results.Add(run.Execute());
        }

        return FederationReport.From(options, contracts, results);
    }

    public static FederationRack[] BuildRacks(FederationOptions options, IReadOnlyList<ServerRow> models, double[] shape, int hours)
    {
        var racks = new FederationRack[options.Racks];
        for (int i = 0; i < options.Racks; i++)
        {
            ServerRow model = models[i % models.Count];
            int servers = 16 + ((i * 7) % 25);
            double kwhPerUnit = model.Curve.MaxWatts / 1000;
            int capacity = i % 3 == 2 ? (int)Math.Floor(servers * 0.7) : servers;
            var interactive = new int[hours];
            var batch = new int[hours];
            for (int h = 0; h < hours; h++)
            {
                double u = shape[(h + (7 * i)) % shape.Length];
                double spike = i == 0 && h >= options.SpikeStartHour && h < options.SpikeStartHour + options.SpikeHours ? options.SpikeFactor : 1;
                interactive[h] = (int)Math.Round(servers * options.InteractiveShare * u * spike);
                batch[h] = (int)Math.Round(servers * options.BatchShare * u * spike);
            }
            racks[i] = new FederationRack(i, model.Name, kwhPerUnit, servers, capacity, interactive, batch, options.HorizonHours);
        }
        return racks;
    }
}
