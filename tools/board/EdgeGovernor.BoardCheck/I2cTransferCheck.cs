using System.Diagnostics;
using System.Globalization;
using EdgeGovernor.Hal;
using EdgeGovernor.Hal.I2c;

namespace EdgeGovernor.BoardCheck;

/// <summary>
/// hal's <see cref="LinuxI2cDevice"/> ioctls on the kernel's i2c-stub (SMBus-only): <c>I2C_FUNCS</c> against the stub's
/// own mask, <c>I2C_SLAVE</c> refused with EBUSY where the <c>lm75</c> driver holds the address and
/// <c>I2C_SLAVE_FORCE</c> reading it, each SMBus transfer the register protocol maps to (send byte, byte data, word
/// data, I2C block) checked against the register file with busybox <c>i2cget</c>/<c>i2cset</c>, the transfers it
/// refuses, an address nobody answers, and the time and allocation of a transfer (TCG emulation). Scratch registers:
/// 0x80..0xA5 of the chip at 0x20 (past the MCP23017's map), T_HYST/T_OS of the LM75 at 0x49.
/// </summary>
public sealed class I2cTransferCheck(int bus, CheckLog log)
{
    private const int Bytes = 0x20, Words = 0x49, HeldLm75 = 0x48, Nobody = 0x50;
    private const string StubFunctionality = "/sys/module/i2c_stub/parameters/functionality";
    private readonly I2cTools _tools = new(bus);

    /// <summary>Runs every check.</summary>
    public void Run()
    {
        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Bytes);
            ulong stub = ulong.Parse(File.ReadAllText(StubFunctionality).Trim(), CultureInfo.InvariantCulture);
            ulong funcs = device.Functionality;
            return (funcs == stub && (funcs & 1) == 0 && device.UsesSmbus, $"0x{funcs:x8}, i2c-stub's mask 0x{stub:x8}");
        }, $"I2C_FUNCS on /dev/i2c-{bus} returns i2c-stub's functionality, without I2C_FUNC_I2C: transfers go as I2C_SMBUS");

        log.Expect(() =>
        {
            HalException? e = Catch(() => new LinuxI2cDevice(bus, HeldLm75, SmbusRegisterWidth.Word).Dispose());
            return (e is { Kind: HalErrorKind.Busy, Errno: 16 } && e.Target == I2cTarget.Format(bus, HeldLm75), e?.Message ?? "no error");
        }, "I2C_SLAVE on the address the lm75 driver holds: EBUSY, Busy, bus and address named");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, HeldLm75, SmbusRegisterWidth.Word, shareWithKernelDriver: true);
            Span<byte> t = stackalloc byte[2];
            device.WriteRead([0x00], t);
            int word = _tools.GetWord(HeldLm75, 0x00);
            return (t[0] == (word & 0xff) && t[1] == word >> 8, $"read {t[0]:x2} {t[1]:x2}, i2cget word 0x{word:x4}");
        }, "I2C_SLAVE_FORCE on the same address: an SMBus word read of the temperature register gives the chip's bytes MSB first");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Bytes);
            device.Write([0x80, 0xa5]);
            int got = _tools.GetByte(Bytes, 0x80);
            return (got == 0xa5, $"i2cget 0x{got:x2}");
        }, "write of register + 1 byte = SMBus write byte data: 0xa5 lands in register 0x80");

        log.Expect(() =>
        {
            _tools.SetByte(Bytes, 0x81, 0x3c);
            using var device = new LinuxI2cDevice(bus, Bytes);
            Span<byte> one = stackalloc byte[1];
            device.WriteRead([0x81], one);
            byte combined = one[0];
            device.Write([0x81]);
            device.Read(one);
            return (combined == 0x3c && one[0] == 0x3c, $"write-read 0x{combined:x2}, pointer then read 0x{one[0]:x2}");
        }, "pointer + 1-byte read = SMBus read byte data (also after a lone pointer write, SMBus send byte): register 0x81 reads 0x3c as i2cset wrote it");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Bytes);
            device.Write([0x90, 0x11, 0x22, 0x33, 0x44, 0x55]);
            int[] got = [.. Enumerable.Range(0x90, 5).Select(r => _tools.GetByte(Bytes, r))];
            return (got.SequenceEqual([0x11, 0x22, 0x33, 0x44, 0x55]), $"i2cget 0x90..0x94: {Join(got)}");
        }, "write of register + 5 bytes = SMBus I2C block write: registers 0x90..0x94 hold the bytes in order");

        log.Expect(() =>
        {
            byte[] expected = [0xde, 0xad, 0xbe, 0xef, 0x01, 0x80];
            for (int i = 0; i < expected.Length; i++)
            {
                _tools.SetByte(Bytes, 0xa0 + i, expected[i]);
            }

            using var device = new LinuxI2cDevice(bus, Bytes);
            Span<byte> got = stackalloc byte[6];
            device.WriteRead([0xa0], got);
            return (got.SequenceEqual(expected), $"read {Join(got)}");
        }, "pointer + 6-byte read = SMBus I2C block read: registers 0xa0..0xa5 as i2cset wrote them");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Words, SmbusRegisterWidth.Word);
            device.Write([0x02, 0x4b, 0x80]);
            int word = _tools.GetWord(Words, 0x02);
            return (word == 0x804b, $"i2cget word 0x{word:x4}");
        }, "16-bit register write (MSB first) = SMBus write word data: T_HYST of the LM75 at 0x49 holds 0x4b, 0x80 in wire order");

        log.Expect(() =>
        {
            _tools.SetWord(Words, 0x03, 0x8050);
            using var device = new LinuxI2cDevice(bus, Words, SmbusRegisterWidth.Word);
            Span<byte> got = stackalloc byte[2];
            device.WriteRead([0x03], got);
            return (got[0] == 0x50 && got[1] == 0x80, $"read {got[0]:x2} {got[1]:x2}");
        }, "pointer + 2-byte read of a 16-bit register = SMBus read word data: T_OS 0x50, 0x80 in wire order");

        log.Expect(() =>
        {
            using var words = new LinuxI2cDevice(bus, Words, SmbusRegisterWidth.Word);
            using var bytes = new LinuxI2cDevice(bus, Bytes);
            HalException? three = Catch(() => words.WriteRead([0x00], new byte[3]));
            HalException? noPointer = Catch(() => bytes.Read(new byte[6]));
            HalException? tooLong = Catch(() => bytes.WriteRead([0x00], new byte[33]));
            HalException? huge = Catch(() => bytes.Write(new byte[LinuxI2cDevice.MaxTransferBytes + 1]));
            bool ok = three?.Kind == HalErrorKind.Rejected && noPointer?.Kind == HalErrorKind.Rejected && tooLong?.Kind == HalErrorKind.Rejected
                && huge?.Kind == HalErrorKind.OutOfRange;
            return (ok, $"{three?.Kind}, {noPointer?.Kind}, {tooLong?.Kind}, {huge?.Kind}: {noPointer?.Message}");
        }, "transfers without an SMBus form refused before any ioctl: 3 bytes from a 16-bit register, 6 bytes without a pointer (an SHT3x measurement), a 33-byte block; 257 bytes out of range");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Nobody);
            HalException? e = Catch(() => device.WriteRead([0x00], new byte[1]));
            return (e is { Kind: HalErrorKind.Missing, Errno: 19 } && e.Target == I2cTarget.Format(bus, Nobody) && e.Message.Contains("ENODEV", StringComparison.Ordinal),
                e?.Message ?? "no error");
        }, "address nobody answers: I2C_SLAVE takes it (no bus traffic), the first transfer fails with i2c-stub's ENODEV (a real adapter: ENXIO), Missing, bus and address named");

        log.Expect(() =>
        {
            using var device = new LinuxI2cDevice(bus, Bytes);
            Span<byte> value = stackalloc byte[1];
            ReadOnlySpan<byte> pointer = [0x81];
            const int n = 2000;
            device.WriteRead(pointer, value);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                device.WriteRead(pointer, value);
            }

            double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NOTE I2C register read through LinuxI2cDevice (pointer + 1 byte: SMBus send byte + read byte data, 2 ioctls, on i2c-stub, {n} reads, TCG emulation): {us:F1} us each, {allocated} B allocated"));
            return (allocated == 0 && value[0] == 0x3c, $"{allocated} B in {n} reads");
        }, "a register read through LinuxI2cDevice allocates nothing");
    }

    private static string Join(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            parts[i] = bytes[i].ToString("x2", CultureInfo.InvariantCulture);
        }

        return string.Join(' ', parts);
    }

    private static string Join(int[] values) => string.Join(' ', values.Select(v => v.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>The <see cref="HalException"/> <paramref name="action"/> throws, or null when it throws none.</summary>
    internal static HalException? Catch(Action action)
    {
        try
        {
            action();
        }
        catch (HalException e)
        {
            return e;
        }

        return null;
    }
}
