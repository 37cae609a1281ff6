namespace EdgeGovernor.Protocol.Cluster;

/// <summary>Which of PARMCEA's four refinement cases a view falls into.</summary>
public enum RefinementCase : byte
{
    /// <summary>The view was empty.</summary>
    Empty = 0,

    /// <summary>Some members lie inside [U_low, U_high]: exactly those are eligible.</summary>
    Moderate = 1,

    /// <summary>Every member is below U_low: the most utilized are eligible.</summary>
    AllLow = 2,

    /// <summary>Every member is above U_high: the least utilized are eligible.</summary>
    AllHigh = 3,

    /// <summary>Members below U_low and above U_high, none in between: the highest under-utilized are eligible.</summary>
    Unbalanced = 4,
}
