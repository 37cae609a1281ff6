using System.Buffers.Binary;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// Request data and response parsing of the commands <see cref="IpmiBmc"/> uses, without I/O.
/// Response spans are the data after the completion code. Multi-byte DCMI fields are little endian.
/// </summary>
public static class IpmiCommands
{
    /// <summary>NetFn Chassis.</summary>
    public const byte NetFnChassis = 0x00;

    /// <summary>NetFn Application.</summary>
    public const byte NetFnApp = 0x06;

    /// <summary>NetFn Group Extension (DCMI uses group 0xDC).</summary>
    public const byte NetFnGroupExtension = 0x2C;

    /// <summary>The DCMI group extension identifier, first data byte of every DCMI request and response.</summary>
    public const byte DcmiGroup = 0xDC;

    /// <summary>Command numbers.</summary>
    public const byte GetChassisStatus = 0x01, ChassisControl = 0x02, SetSessionPrivilege = 0x3B, CloseSession = 0x3C,
        DcmiGetPowerReading = 0x02, DcmiGetPowerLimit = 0x03, DcmiSetPowerLimit = 0x04, DcmiActivatePowerLimit = 0x05;

    /// <summary>DCMI completion code: no active set power limit.</summary>
    public const byte NoActivePowerLimit = 0x80;

    /// <summary>Get Chassis Status response: current power state, last power event, misc state (front panel optional).</summary>
    public static ChassisStatus ParseChassisStatus(ReadOnlySpan<byte> data)
    {
        RequireLength(data, 3, "Get Chassis Status");
        byte state = data[0];
        return new ChassisStatus(
            PowerOn: (state & 0x01) != 0,
            PowerOverload: (state & 0x02) != 0,
            PowerFault: (state & 0x08) != 0,
            PowerControlFault: (state & 0x10) != 0);
    }

    /// <summary>Chassis Control request data; refuses actions outside table 28-4.</summary>
    public static byte ChassisControlData(ChassisControl action) => action switch
    {
        Bmc.ChassisControl.PowerOff or Bmc.ChassisControl.PowerOn or Bmc.ChassisControl.PowerCycle
            or Bmc.ChassisControl.HardReset or Bmc.ChassisControl.SoftOff => (byte)action,
        _ => throw new BmcException(BmcErrorKind.InvalidArgument, $"Chassis control action 0x{(byte)action:X2} is not supported."),
    };

    /// <summary>Get Power Reading request: group, mode 1 (system power statistics), attributes, reserved.</summary>
    public static ReadOnlySpan<byte> PowerReadingRequest => [DcmiGroup, 0x01, 0x00, 0x00];

    /// <summary>Get Power Limit request: group, reserved(2).</summary>
    public static ReadOnlySpan<byte> PowerLimitRequest => [DcmiGroup, 0x00, 0x00];

    /// <summary>
    /// Get Power Reading response (DCMI 1.5 table 6-16):
    /// <code>DC | current(2) | min(2) | max(2) | avg(2) | timestamp(4) | period ms(4) | state(1: bit 6 active)</code>
    /// </summary>
    public static PowerReading ParsePowerReading(ReadOnlySpan<byte> data)
    {
        RequireDcmi(data, 18, "DCMI Get Power Reading");
        return new PowerReading(
            CurrentWatts: BinaryPrimitives.ReadUInt16LittleEndian(data[1..]),
            MinimumWatts: BinaryPrimitives.ReadUInt16LittleEndian(data[3..]),
            MaximumWatts: BinaryPrimitives.ReadUInt16LittleEndian(data[5..]),
            AverageWatts: BinaryPrimitives.ReadUInt16LittleEndian(data[7..]),
            SamplingPeriodMs: BinaryPrimitives.ReadUInt32LittleEndian(data[13..]),
            Active: (data[17] & 0x40) != 0);
    }

    /// <summary>
    /// Get Power Limit response (DCMI 1.5 table 6-18):
    /// <code>DC | reserved(2) | exception action(1) | limit W(2) | correction ms(4) | reserved(2) | sampling s(2)</code>
    /// Exception action 0x00 no action, 0x01 hard power off, 0x02-0x10 OEM (kept raw), 0x11 log event; others are refused.
    /// </summary>
    public static PowerLimit ParsePowerLimit(ReadOnlySpan<byte> data)
    {
        RequireDcmi(data, 14, "DCMI Get Power Limit");
        byte action = data[3];
        if (!PowerLimitExceptionActions.IsDefined((PowerLimitExceptionAction)action))
        {
            throw IpmiLanMessage.Malformed(
                $"DCMI Get Power Limit returned exception action 0x{action:X2}, which DCMI does not define (0x00, 0x01, OEM 0x02-0x10, 0x11).");
        }

        return new PowerLimit(
            LimitWatts: BinaryPrimitives.ReadUInt16LittleEndian(data[4..]),
            CorrectionTimeMs: BinaryPrimitives.ReadUInt32LittleEndian(data[6..]),
            SamplingPeriodSeconds: BinaryPrimitives.ReadUInt16LittleEndian(data[12..]),
            ExceptionAction: (PowerLimitExceptionAction)action);
    }

    /// <summary>
    /// Set Power Limit request (DCMI 1.5 table 6-19), 15 bytes; an OEM exception action (read from the BMC) is written back as is:
    /// <code>DC | reserved(3) | exception action(1) | limit W(2) | correction ms(4) | reserved(2) | sampling s(2)</code>
    /// </summary>
    public static int WriteSetPowerLimit(Span<byte> destination, PowerLimit limit)
    {
        if (limit.LimitWatts == 0 || limit.CorrectionTimeMs == 0 || limit.SamplingPeriodSeconds == 0)
        {
            throw new BmcException(BmcErrorKind.InvalidArgument,
                $"Power limit {limit} needs a non-zero limit, correction time and sampling period.");
        }

        if (!PowerLimitExceptionActions.IsDefined(limit.ExceptionAction))
        {
            throw new BmcException(BmcErrorKind.InvalidArgument, $"Exception action 0x{(byte)limit.ExceptionAction:X2} is not defined by DCMI.");
        }

        destination[..15].Clear();
        destination[0] = DcmiGroup;
        destination[4] = (byte)limit.ExceptionAction;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[5..], limit.LimitWatts);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[7..], limit.CorrectionTimeMs);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[13..], limit.SamplingPeriodSeconds);
        return 15;
    }

    /// <summary>Activate/Deactivate Power Limit request: group, activation, reserved(2).</summary>
    public static int WriteActivatePowerLimit(Span<byte> destination, bool activate)
    {
        destination[..4].Clear();
        destination[0] = DcmiGroup;
        destination[1] = activate ? (byte)1 : (byte)0;
        return 4;
    }

    /// <summary>Checks the group byte of a DCMI response without other data (Set/Activate Power Limit).</summary>
    public static void CheckDcmiAck(ReadOnlySpan<byte> data, string command) => RequireDcmi(data, 1, command);

    /// <summary>Describes DCMI power-management completion codes, falling back to the generic table.</summary>
    public static string DescribeDcmiCompletionCode(byte code) => code switch
    {
        0x80 => "no active set power limit",
        0x84 => "power limit out of range",
        0x85 => "correction time out of range",
        0x89 => "statistics reporting period out of range",
        _ => IpmiLanMessage.DescribeCompletionCode(code),
    };

    private static void RequireDcmi(ReadOnlySpan<byte> data, int length, string command)
    {
        RequireLength(data, length, command);
        if (data[0] != DcmiGroup)
        {
            throw IpmiLanMessage.Malformed($"{command} response carries group extension 0x{data[0]:X2}, expected 0xDC.");
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> data, int length, string command)
    {
        if (data.Length < length)
        {
            throw IpmiLanMessage.Malformed($"{command} returned {data.Length} data bytes, expected at least {length}.");
        }
    }
}
