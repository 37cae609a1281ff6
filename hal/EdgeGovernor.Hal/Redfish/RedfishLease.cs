namespace EdgeGovernor.Hal.Redfish;

/// <summary>The held request slot of a <see cref="RedfishClient"/>; disposing it releases the slot.</summary>
internal readonly struct RedfishLease(SemaphoreSlim gate) : IDisposable
{
    /// <summary>Releases the slot.</summary>
    public void Dispose() => gate?.Release();
}
