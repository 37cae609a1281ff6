using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// The IPMI message carried in an IPMI payload on LAN (IPMI v2.0 section 13.8), without I/O.
/// <code>
/// request:  rsAddr(0x20) | netFn&lt;&lt;2|rsLUN | chk1 | rqAddr(0x81) | rqSeq&lt;&lt;2|rqLUN | cmd | data... | chk2
/// response: rqAddr(0x81) | netFn&lt;&lt;2|rqLUN | chk1 | rsAddr(0x20) | rqSeq&lt;&lt;2|rsLUN | cmd | cc | data... | chk2
/// </code>
/// chk1 is the two's complement of the sum of the first two bytes, chk2 that of bytes 3 to the
/// last data byte.
/// </summary>
public static class IpmiLanMessage
{
    /// <summary>The BMC's responder address.</summary>
    public const byte BmcAddress = 0x20;

    /// <summary>The remote console's software id used as requester address.</summary>
    public const byte ConsoleAddress = 0x81;

    /// <summary>Bytes a request adds around its data.</summary>
    public const int RequestOverhead = 7;

    /// <summary>Smallest valid response: header, completion code and checksum.</summary>
    public const int MinimumResponseLength = 8;

    /// <summary>Writes a request; returns its length, or 0 when <paramref name="destination"/> is too small.</summary>
    public static int TryWriteRequest(Span<byte> destination, byte netFn, byte cmd, byte rqSeq, ReadOnlySpan<byte> data)
    {
        int length = RequestOverhead + data.Length;
        if (destination.Length < length || netFn > 0x3F || rqSeq > 0x3F)
        {
            return 0;
        }

        destination[0] = BmcAddress;
        destination[1] = (byte)(netFn << 2);
        destination[2] = Checksum(destination[..2]);
        destination[3] = ConsoleAddress;
        destination[4] = (byte)(rqSeq << 2);
        destination[5] = cmd;
        data.CopyTo(destination[6..]);
        destination[length - 1] = Checksum(destination[3..(length - 1)]);
        return length;
    }

    /// <summary>
    /// Checks a response's framing and checksums. Returns false when it is well formed but answers
    /// another request (netFn, command or sequence differ: a late reply to an earlier attempt);
    /// throws <see cref="BmcException"/> (<see cref="BmcErrorKind.MalformedReply"/>) when malformed.
    /// </summary>
    public static bool TryParseResponse(ReadOnlySpan<byte> message, byte netFn, byte cmd, byte rqSeq, out byte completionCode, out ReadOnlySpan<byte> data)
    {
        completionCode = 0;
        data = default;
        if (message.Length < MinimumResponseLength)
        {
            throw Malformed($"IPMI response of {message.Length} bytes is shorter than {MinimumResponseLength}.");
        }

        if (Checksum(message[..2]) != message[2])
        {
            throw Malformed("IPMI response header checksum is wrong.");
        }

        if (Checksum(message[3..^1]) != message[^1])
        {
            throw Malformed("IPMI response data checksum is wrong.");
        }

        if (message[0] != ConsoleAddress || message[3] != BmcAddress)
        {
            throw Malformed($"IPMI response addresses 0x{message[0]:X2}/0x{message[3]:X2} are not console/BMC.");
        }

        if (message[1] >> 2 != (netFn | 1) || message[5] != cmd || message[4] >> 2 != rqSeq)
        {
            return false;
        }

        completionCode = message[6];
        data = message[7..^1];
        return true;
    }

    /// <summary>Two's complement checksum: the bytes plus the checksum sum to zero.</summary>
    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }

        return (byte)-sum;
    }

    /// <summary>A human-readable name of a generic completion code (IPMI v2.0 table 5-2).</summary>
    public static string DescribeCompletionCode(byte code) => code switch
    {
        0x00 => "success",
        0xC0 => "node busy",
        0xC1 => "invalid command",
        0xC2 => "command invalid for given LUN",
        0xC3 => "timeout while processing command",
        0xC4 => "out of space",
        0xC5 => "reservation cancelled",
        0xC6 => "request data truncated",
        0xC7 => "request data length invalid",
        0xC8 => "request data field length limit exceeded",
        0xC9 => "parameter out of range",
        0xCA => "cannot return number of requested data bytes",
        0xCB => "requested sensor, data, or record not present",
        0xCC => "invalid data field in request",
        0xCD => "command illegal for specified sensor or record type",
        0xCE => "command response could not be provided",
        0xCF => "cannot execute duplicated request",
        0xD0 => "SDR repository in update mode",
        0xD1 => "device in firmware update mode",
        0xD2 => "BMC initialization in progress",
        0xD3 => "destination unavailable",
        0xD4 => "insufficient privilege level",
        0xD5 => "not supported in present state",
        0xD6 => "sub-function disabled or unavailable",
        0xFF => "unspecified error",
        _ => "device- or command-specific",
    };

    internal static BmcException Malformed(string message) => new(BmcErrorKind.MalformedReply, message);
}
