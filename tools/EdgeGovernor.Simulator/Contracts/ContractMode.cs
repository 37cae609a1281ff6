namespace EdgeGovernor.Simulator.Contracts;

/// <summary>How racks may move deferrable work in one run of <c>evaluate-contracts</c>.</summary>
public enum ContractMode
{
    /// <summary>Every rack runs its own work or misses it.</summary>
    None,

    /// <summary>Bilateral contracts at one fixed price per unit.</summary>
    FixedPrice,

    /// <summary>Bilateral contracts with a small price range.</summary>
    PriceRange,

    /// <summary>A central planner that sees every rack and moves work freely (no privacy): the reference.</summary>
    Central,
}
