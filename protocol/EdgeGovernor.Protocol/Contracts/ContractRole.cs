namespace EdgeGovernor.Protocol.Contracts;

/// <summary>Which side of a transfer a board is.</summary>
public enum ContractRole : byte
{
    /// <summary>The units' owner: offers them and decides the outcome.</summary>
    Owner = 1,

    /// <summary>The partner: prepares, and runs the units once the owner committed.</summary>
    Receiver = 2,
}
