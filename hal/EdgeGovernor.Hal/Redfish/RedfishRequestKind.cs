namespace EdgeGovernor.Hal.Redfish;

/// <summary>Whether the client may send a request again by itself.</summary>
public enum RedfishRequestKind
{
    /// <summary>Reading, PATCH of absolute values, DELETE, login: repeated after a transport failure or a 503.</summary>
    Repeatable,

    /// <summary>An action (reset, outlet off/cycle): sent at most once; its caller reads the state back before any new attempt.</summary>
    Once,
}
