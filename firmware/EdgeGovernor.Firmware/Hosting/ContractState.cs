namespace EdgeGovernor.Firmware.Hosting;

/// <summary>Where a contract stands (<c>edgegov status</c>, <c>/metrics</c>); only <see cref="Active"/> is used.</summary>
internal enum ContractState
{
    /// <summary>The partner's digest has not arrived or differs from this board's view: reported, never used.</summary>
    Unmatched,

    /// <summary>Both boards hold the same contract and it is within its validity period.</summary>
    Active,

    /// <summary>Its validity period has not begun.</summary>
    Pending,

    /// <summary>Its validity period is over.</summary>
    Expired,
}
