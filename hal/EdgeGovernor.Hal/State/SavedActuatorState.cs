namespace EdgeGovernor.Hal.State;

/// <summary>What one actuator held before the firmware first changed it.</summary>
/// <param name="Kind">Which restorer handles it: <c>"sysfs"</c>, <c>"gpio"</c>, ...</param>
/// <param name="Target">The attribute path or line (e.g. <c>/dev/gpiochip0:17</c>).</param>
/// <param name="Value">The value found, in the target's own format.</param>
public sealed record SavedActuatorState(string Kind, string Target, string Value);
