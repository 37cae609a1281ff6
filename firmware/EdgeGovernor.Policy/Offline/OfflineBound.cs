namespace EdgeGovernor.Policy.Offline;

/// <summary>Result of the offline optimisation.</summary>
/// <param name="UpperBoundEur">Proven upper bound on the objective (net value minus deadline penalties) of any policy on the scenario.</param>
/// <param name="FeasibleEur">Objective of the best schedule found that keeps every rule and the envelope (replayed on the rack model).</param>
/// <param name="Exact">The two agree (within 1e-7 relative): the optimum is known exactly.</param>
/// <param name="Iterations">Lagrangian iterations (1 when the budget never binds).</param>
public readonly record struct OfflineBound(double UpperBoundEur, double FeasibleEur, bool Exact, int Iterations);
