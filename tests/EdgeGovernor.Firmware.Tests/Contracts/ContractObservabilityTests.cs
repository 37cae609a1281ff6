using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;
using EdgeGovernor.Protocol.Wire;

namespace EdgeGovernor.Firmware.Tests.Contracts;

/// <summary>
/// A contract's state (unmatched until the partner's digest matches, pending/expired outside its period, the unmatched
/// report once), the signed digest message, and how /metrics, /status and <c>edgegov status</c> show contracts; and
/// <c>edgegov demo --contracts</c> end to end.
/// </summary>
public sealed class ContractObservabilityTests
{
    private static readonly JobConfig[] Jobs = [new() { Name = "batch", Deferrable = true }];

    private static ContractDefinition Terms(uint holder, uint partner, string[] send, string[] into, double priceMax = 0.2) => ContractDefinition.From(holder, new ContractConfig
    {
        Id = 3,
        Partner = partner,
        PriceMin = 0.01,
        PriceMax = priceMax,
        ClassesOut = send,
        ClassesIn = into,
        MaxUnitsPerHour = 4,
        ValidFrom = "2026-01-01T00:00:00Z",
        ValidUntil = "2026-02-01T00:00:00Z",
    }, Jobs);

    private static readonly long Jan = new DateTime(2026, 1, 10).Ticks / TimeSpan.TicksPerHour;

    [Fact]
    public void A_contract_is_active_only_matched_and_in_its_period_and_unmatched_is_reported_once_per_episode()
    {
        ContractDefinition mine = Terms(1, 2, ["batch"], []);
        ContractDefinition theirs = Terms(2, 1, [], ["batch"]);
        ContractDefinition differing = Terms(2, 1, [], ["batch"], priceMax: 0.3);
        var a = new ContractAgreement(mine, startUs: 0, graceUs: 1_000);

        Assert.False(a.Evaluate(Jan, 10));
        Assert.Equal(ContractState.Unmatched, a.State);
        Assert.Null(a.TakeReport()); // within the grace period
        a.Evaluate(Jan, 2_000);
        Assert.Contains("has not confirmed", a.TakeReport(), StringComparison.Ordinal);
        a.Evaluate(Jan, 3_000);
        Assert.Null(a.TakeReport()); // once

        Assert.True(a.OnDigest(theirs.MirroredDigest));
        Assert.True(a.Evaluate(Jan, 4_000));
        Assert.Equal(ContractState.Active, a.State);
        Assert.Null(a.TakeReport());

        Assert.False(a.OnDigest(differing.MirroredDigest)); // the partner changed its copy
        a.Evaluate(Jan, 5_000);
        Assert.Equal(ContractState.Unmatched, a.State);
        Assert.Contains("differs", a.TakeReport(), StringComparison.Ordinal);
        a.OnDigest(differing.MirroredDigest);
        Assert.Null(a.TakeReport());

        a.OnDigest(theirs.MirroredDigest);
        a.Evaluate(mine.Contract.ValidFromHour - 1, 6_000);
        Assert.Equal(ContractState.Pending, a.State);
        a.Evaluate(mine.Contract.ValidToHour, 7_000);
        Assert.Equal(ContractState.Expired, a.State);
    }

    [Fact]
    public void The_digest_message_is_accepted_only_from_its_signer_to_its_partner_in_its_cluster()
    {
        using var signer1 = new Ed25519Signer(new byte[32]);
        using var signer3 = new Ed25519Signer([.. Enumerable.Repeat((byte)3, 32)]);
        var roster = new SigningRoster();
        roster.Set(new NodeId(1), signer1.PublicKey);
        roster.Set(new NodeId(3), signer3.PublicKey);
        ContractDefinition mine = Terms(1, 2, ["batch"], []);
        byte[] wire = new byte[ContractDigestMessage.Size];
        Assert.True(new ContractDigestMessage(1, 2, 3, mine.MirroredDigest).TryWrite(wire, 7, signer1));

        Assert.Null(ContractDigestMessage.TryRead(wire, 1, 2, 7, roster, out ContractDigestMessage read));
        Assert.Equal(3u, read.ContractId);
        Assert.True(Terms(2, 1, [], ["batch"]).MatchesPartnerDigest(read.Digest.Span));

        Assert.NotNull(ContractDigestMessage.TryRead(wire, 1, 2, 8, roster, out _)); // another cluster
        Assert.NotNull(ContractDigestMessage.TryRead(wire, 3, 2, 7, roster, out _)); // relayed by board 3
        Assert.NotNull(ContractDigestMessage.TryRead(wire, 1, 4, 7, roster, out _)); // addressed to board 2, not 4
        Assert.NotNull(ContractDigestMessage.TryRead(wire.AsSpan(0, ContractDigestMessage.Size - 1), 1, 2, 7, roster, out _));
        byte[] forged = [.. wire];
        forged[20] ^= 1;
        Assert.NotNull(ContractDigestMessage.TryRead(forged, 1, 2, 7, roster, out _));
        byte[] bySomeoneElse = new byte[ContractDigestMessage.Size];
        new ContractDigestMessage(1, 2, 3, mine.MirroredDigest).TryWrite(bySomeoneElse, 7, signer3); // board 3 signing as board 1
        Assert.NotNull(ContractDigestMessage.TryRead(bySomeoneElse, 1, 2, 7, roster, out _));
    }

    [Fact]
    public void Metrics_status_and_the_status_table_show_each_contract()
    {
        var a = new ContractAgreement(Terms(1, 2, ["batch"], []), 0, 0);
        a.OnDigest(Terms(2, 1, [], ["batch"]).MirroredDigest);
        a.Evaluate(Jan, 1);
        a.Publish(new ContractLedgerEntry(new NodeId(2), UnitsOut: 7, PaidMicros: 350_000, UnitsRunByPartner: 5, UnitsIn: 0, ReceivedMicros: 0, UnitsRunForPartner: 0));
        a.OfferRefused();
        a.TransferAborted();
        var unmatched = new ContractAgreement(ContractDefinition.From(1, new ContractConfig
        {
            Id = 9, Partner = 4, PriceMin = 0, PriceMax = 1, ClassesIn = ["batch"], MaxUnitsPerHour = 1,
            ValidFrom = "2026-01-01T00:00:00Z", ValidUntil = "2026-02-01T00:00:00Z",
        }, Jobs), 0, 0);
        unmatched.Evaluate(Jan, 1);
        ContractAgreement[] contracts = [a, unmatched];

        var w = new PrometheusWriter();
        ContractMetrics.Write(w, contracts);
        string metrics = w.ToString();
        Assert.Contains("edgegov_contract_state{partner=\"2\",state=\"active\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_state{partner=\"4\",state=\"unmatched\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contracts_unmatched 1", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_units_out_total{partner=\"2\"} 7", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_payments_out_total{partner=\"2\"} 0.35", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_offers_refused_total{partner=\"2\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("edgegov_contract_transfers_aborted_total{partner=\"2\"} 1", metrics, StringComparison.Ordinal);

        var status = new NodeStatus { Contracts = ContractMetrics.Status(contracts) };
        string json = System.Text.Json.JsonSerializer.Serialize(status, StatusJsonContext.Default.NodeStatus);
        Assert.Contains("\"contracts\"", json, StringComparison.Ordinal);
        NodeStatus back = System.Text.Json.JsonSerializer.Deserialize(json, StatusJsonContext.Default.NodeStatus)!;
        string table = StatusClient.Format(back);
        Assert.Contains("contract 3 with node 2: active, units in 0 out 7, payments in 0.00 out 0.35", table, StringComparison.Ordinal);
        Assert.Contains("contract 9 with node 4: unmatched", table, StringComparison.Ordinal);

        var none = new PrometheusWriter();
        ContractMetrics.Write(none, []);
        Assert.DoesNotContain("contract", none.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_contracts_runs_two_owners_trading_load_and_prints_the_summary_per_owner()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = Program.Run(["demo", "--contracts", "--duration", "10"], stdout, stderr);
        string text = stdout.ToString();
        Assert.True(exit == Program.ExitOk, text + stderr);
        Assert.Contains("ledgers agree", text, StringComparison.Ordinal);
        string[] a = text.Split('\n').Single(l => l.StartsWith("A ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] b = text.Split('\n').Single(l => l.StartsWith("B ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture) > 0, text); // A sent units
        Assert.Equal(a[1], b[2]); // B received exactly those
        Assert.Equal(a[3], b[4]); // what A pays is what B earns
    }
}
