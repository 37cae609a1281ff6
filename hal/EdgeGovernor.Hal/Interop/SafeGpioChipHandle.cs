namespace EdgeGovernor.Hal.Interop;

/// <summary>An open /dev/gpiochipN.</summary>
internal sealed class SafeGpioChipHandle(int fd) : FileDescriptorHandle(fd);
