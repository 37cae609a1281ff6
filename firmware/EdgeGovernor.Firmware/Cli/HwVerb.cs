namespace EdgeGovernor.Firmware.Cli;

/// <summary>What <c>edgegov hw</c> does.</summary>
internal enum HwVerb
{
    /// <summary>List and read every configured device.</summary>
    List,

    /// <summary>Set a server's BMC power limit.</summary>
    SetCap,

    /// <summary>Clear a server's BMC power limit.</summary>
    ClearCap,

    /// <summary>Power a server on or off through its BMC.</summary>
    Power,

    /// <summary>Switch a server's outlet (GPIO relay or Redfish PDU) on or off.</summary>
    Outlet,
}
