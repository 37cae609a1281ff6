using EdgeGovernor.Policy.Contracts;

namespace EdgeGovernor.Simulator.Contracts;

/// <summary>
/// One rack of one owner in <c>evaluate-contracts</c>: servers of one SPECpower model (a unit of work is one server-hour
/// at full load and costs the model's full-load energy), a power budget that may bind below the servers' total, its
/// interactive load and batch arrivals (the shared PDU trace shifted per rack), its queue of batch units by deadline,
/// the units it runs for partners, and its books.
/// </summary>
internal sealed class FederationRack
{
    public FederationRack(int id, string model, double kwhPerUnit, int servers, int capacity, int[] interactive, int[] batch, int horizon)
    {
        Id = id;
        Model = model;
        KwhPerUnit = kwhPerUnit;
        Servers = servers;
        Capacity = capacity;
        Interactive = interactive;
        Batch = batch;
        Planner = new UnitPlanner(horizon, [kwhPerUnit]);
    }

    public int Id { get; }

    public string Model { get; }

    /// <summary>Energy per unit (kWh): the model's full-load power for one hour.</summary>
    public double KwhPerUnit { get; }

    public int Servers { get; }

    /// <summary>Units per hour within the power budget (at most one per server).</summary>
    public int Capacity { get; }

    /// <summary>Interactive units per hour (must run in their hour).</summary>
    public int[] Interactive { get; }

    /// <summary>Batch units arriving per hour.</summary>
    public int[] Batch { get; }

    public UnitPlanner Planner { get; }

    /// <summary>Own batch units waiting, by absolute deadline hour.</summary>
    public Dictionary<int, int> OwnDue { get; } = [];

    /// <summary>Units run for partners, waiting: (from, deadline hour, units, price per unit).</summary>
    public List<ForeignBatch> Foreign { get; } = [];

    public RackBooks Books { get; } = new();
}
