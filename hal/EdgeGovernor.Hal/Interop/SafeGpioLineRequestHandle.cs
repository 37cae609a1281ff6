namespace EdgeGovernor.Hal.Interop;

/// <summary>The anonymous descriptor the kernel returns for one GPIO_V2_GET_LINE_IOCTL request.</summary>
internal sealed class SafeGpioLineRequestHandle(int fd) : FileDescriptorHandle(fd);
