using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>Command payloads as byte vectors (IPMI v2.0 chapter 28, DCMI 1.5 section 6.6).</summary>
public sealed class IpmiCommandsTests
{
    [Fact]
    public void Chassis_status_bits()
    {
        Assert.Equal(new ChassisStatus(true, false, false, false), IpmiCommands.ParseChassisStatus([0x21, 0x00, 0x40]));
        Assert.Equal(new ChassisStatus(false, true, true, true), IpmiCommands.ParseChassisStatus([0x1A, 0x00, 0x00, 0x00]));
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParseChassisStatus([0x01, 0x00])).Kind);
    }

    [Fact]
    public void Power_reading_fields_are_little_endian()
    {
        byte[] data = Convert.FromHexString("DC" + "4001" + "6400" + "F401" + "2C01" + "00F15365" + "E8030000" + "40");

        PowerReading r = IpmiCommands.ParsePowerReading(data);

        Assert.Equal(new PowerReading(320, 100, 500, 300, 1000, true), r);
        Assert.False(IpmiCommands.ParsePowerReading([.. data[..^1], 0x00]).Active);
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerReading(data[..^1])).Kind);
        data[0] = 0xDD;
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerReading(data)).Kind);
    }

    [Fact]
    public void Set_power_limit_request_and_get_power_limit_response()
    {
        PowerLimit limit = new(210, 2500, 3, PowerLimitExceptionAction.HardPowerOffAndLogEvent);
        byte[] request = new byte[15];

        Assert.Equal(15, IpmiCommands.WriteSetPowerLimit(request, limit));

        Assert.Equal(Convert.FromHexString("DC" + "000000" + "01" + "D200" + "C4090000" + "0000" + "0300"), request);
        byte[] response = Convert.FromHexString("DC" + "0000" + "01" + "D200" + "C4090000" + "0000" + "0300");
        Assert.Equal(limit, IpmiCommands.ParsePowerLimit(response));
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x07)]
    [InlineData(0x10)]
    public void Get_power_limit_with_an_oem_exception_action_reads_as_oem_with_its_raw_value(byte action)
    {
        byte[] response = Convert.FromHexString("DC" + "0000" + action.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "D200" + "C4090000" + "0000" + "0300");

        PowerLimit limit = IpmiCommands.ParsePowerLimit(response);

        Assert.Equal(new PowerLimit(210, 2500, 3, (PowerLimitExceptionAction)action), limit);
        Assert.True(PowerLimitExceptionActions.IsOem(limit.ExceptionAction));
        Assert.Equal($"OEM 0x{action:X2}", PowerLimitExceptionActions.Describe(limit.ExceptionAction));
        byte[] request = new byte[15];
        IpmiCommands.WriteSetPowerLimit(request, limit); // written back unchanged (restore of the limit found)
        Assert.Equal(action, request[4]);
    }

    [Theory]
    [InlineData(0x00, "no action")]
    [InlineData(0x01, "hard power off and log event")]
    [InlineData(0x11, "log event only")]
    public void Get_power_limit_named_exception_actions_read_as_before(byte action, string name)
    {
        byte[] response = Convert.FromHexString("DC" + "0000" + action.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "D200" + "C4090000" + "0000" + "0300");

        PowerLimitExceptionAction read = IpmiCommands.ParsePowerLimit(response).ExceptionAction;

        Assert.Equal((PowerLimitExceptionAction)action, read);
        Assert.False(PowerLimitExceptionActions.IsOem(read));
        Assert.Equal(name, PowerLimitExceptionActions.Describe(read));
    }

    [Theory]
    [InlineData(0x12)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Get_power_limit_with_an_undefined_exception_action_is_a_clear_error(byte action)
    {
        byte[] response = Convert.FromHexString("DC" + "0000" + action.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "D200" + "C4090000" + "0000" + "0300");

        BmcException e = Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerLimit(response));

        Assert.Equal(BmcErrorKind.MalformedReply, e.Kind);
        Assert.Contains($"exception action 0x{action:X2}", e.Message, StringComparison.Ordinal);
        Assert.Contains("OEM 0x02-0x10", e.Message, StringComparison.Ordinal);
        Assert.Equal(BmcErrorKind.InvalidArgument, Assert.Throws<BmcException>(() =>
            IpmiCommands.WriteSetPowerLimit(new byte[15], new PowerLimit(210, 2500, 3, (PowerLimitExceptionAction)action))).Kind);
    }

    [Fact]
    public void Activate_request()
    {
        byte[] request = new byte[4];
        Assert.Equal(4, IpmiCommands.WriteActivatePowerLimit(request, true));
        Assert.Equal(new byte[] { 0xDC, 0x01, 0x00, 0x00 }, request);
        IpmiCommands.WriteActivatePowerLimit(request, false);
        Assert.Equal(new byte[] { 0xDC, 0x00, 0x00, 0x00 }, request);
    }

    [Fact]
    public void Request_message_checksums()
    {
        byte[] message = new byte[16];
        int n = IpmiLanMessage.TryWriteRequest(message, 0x00, 0x02, 3, [0x01]);

        Assert.Equal(Convert.FromHexString("2000E0810C0201" + "70"), message[..n]);
        Assert.Equal(0, IpmiLanMessage.TryWriteRequest(message.AsSpan(0, 7), 0x00, 0x02, 3, [0x01]));
    }
}
