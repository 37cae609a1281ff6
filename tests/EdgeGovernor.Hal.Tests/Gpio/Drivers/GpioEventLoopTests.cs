using EdgeGovernor.Hal.Gpio.Drivers;
using EdgeGovernor.Hal.Interop;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Tests.Gpio.Drivers;

/// <summary>
/// The event thread of a chip over real descriptors (eventfds standing in for line requests): started by the first
/// descriptor, hands over readable ones by tag, ignores removed ones, and stops on Dispose.
/// </summary>
public sealed unsafe class GpioEventLoopTests
{
    [Fact]
    public void A_readable_descriptor_reaches_the_handler_on_the_loop_thread_and_dispose_stops_it()
    {
        using var fd = Open();
        var seen = new System.Collections.Concurrent.BlockingCollection<(uint Tag, string? Thread)>();
        var loop = new GpioEventLoop("gpio events test", tag =>
        {
            ulong value;
            _ = Libc.Read(fd, &value, sizeof(ulong)); // drain (level-triggered)
            seen.Add((tag, Thread.CurrentThread.Name));
        });
        Assert.False(loop.IsRunning); // no thread before the first descriptor
        loop.Add(fd, 5);
        Assert.True(loop.IsRunning);
        Signal(fd);
        Assert.True(seen.TryTake(out var first, TimeSpan.FromSeconds(5)));
        Assert.Equal((5u, "gpio events test"), first);

        loop.Remove(fd);
        Signal(fd);
        Assert.False(seen.TryTake(out _, TimeSpan.FromMilliseconds(200)));

        loop.Dispose();
        Assert.False(loop.IsRunning);
        Assert.Equal(0, loop.WaitErrno);
        loop.Dispose(); // twice: no-op
    }

    [Fact]
    public void Adding_after_dispose_is_refused()
    {
        using var fd = Open();
        var loop = new GpioEventLoop("gpio events test", _ => { });
        loop.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loop.Add(fd, 1));
    }

    private static FileDescriptorHandle Open() => new(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));

    private static void Signal(FileDescriptorHandle fd)
    {
        ulong one = 1;
        _ = Libc.Write(fd, &one, sizeof(ulong));
    }
}
