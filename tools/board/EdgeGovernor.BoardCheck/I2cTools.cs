using System.Diagnostics;
using System.Globalization;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// busybox <c>i2cget</c>/<c>i2cset</c> on the board: reads and writes a register through the kernel's own SMBus
/// transfers, independent of hal, so the I2C checks compare what hal did with what the chip holds. <c>-f</c> reaches an
/// address a kernel driver holds; a failed command is an <see cref="IOException"/> with its output.
/// </summary>
public sealed class I2cTools(int bus)
{
    /// <summary>Byte register <paramref name="register"/> of the chip at <paramref name="address"/> (SMBus read byte data).</summary>
    public int GetByte(int address, int register) => Parse(Run("i2cget", address, register, "b"));

    /// <summary>Word register, as the SMBus word (first byte on the wire in the low byte).</summary>
    public int GetWord(int address, int register) => Parse(Run("i2cget", address, register, "w"));

    /// <summary>Sets a byte register (SMBus write byte data).</summary>
    public void SetByte(int address, int register, int value) => Run("i2cset", address, register, Hex(value), "b");

    /// <summary>Sets a word register (SMBus write word data; the low byte goes first on the wire).</summary>
    public void SetWord(int address, int register, int value) => Run("i2cset", address, register, Hex(value), "w");

    private string Run(string tool, int address, int register, params string[] rest)
    {
        string[] args = ["-f", "-y", bus.ToString(CultureInfo.InvariantCulture), Hex(address), Hex(register), .. rest];
        using Process p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new IOException($"{tool} did not start");
        string output = p.StandardOutput.ReadToEnd().Trim();
        string error = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new IOException($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {error}{output}");
    }

    private static int Parse(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new IOException($"unexpected i2cget output '{text}'");

    private static string Hex(int value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x2}");
}
