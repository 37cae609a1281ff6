using EdgeGovernor.Hal.Interop;
using static EdgeGovernor.Hal.Interop.I2cDev;

namespace EdgeGovernor.Hal.Tests.Interop;

/// <summary>
/// Proves the i2c-dev request numbers, constants and struct layouts of <see cref="I2cDev"/> (which <c>LinuxI2cDevice</c>
/// passes to <c>ioctl</c>) against the kernel's uapi headers, <c>linux/i2c-dev.h</c> and <c>linux/i2c.h</c>
/// (Fixtures/i2c_abi.c): x86-64 by compiling and running the program with gcc, arm64 by compiling it with the Debian
/// cross compiler (gcc -S, its own <c>/usr/aarch64-linux-gnu/include</c>) and reading the values from the assembly. Both
/// are LP64, so the sequential structs measured in this process are the layouts of both. The arm64 test is skipped, with
/// the packages to install, when the cross compiler is missing.
/// </summary>
public sealed unsafe class I2cAbiTests
{
    private const string Fixture = "i2c_abi.c";

    /// <summary>What the managed code uses, in the C program's "key value" form.</summary>
    private static Dictionary<string, ulong> Managed()
    {
        I2cMsg msg = default;
        RdwrIoctlData rdwr = default;
        SmbusIoctlData smbus = default;
        SmbusData data = default;
        static ulong Off(void* field, void* start) => (ulong)((byte*)field - (byte*)start);
        return new Dictionary<string, ulong>
        {
            ["ioctl_I2C_SLAVE"] = I2C_SLAVE,
            ["ioctl_I2C_SLAVE_FORCE"] = I2C_SLAVE_FORCE,
            ["ioctl_I2C_FUNCS"] = I2C_FUNCS,
            ["ioctl_I2C_RDWR"] = I2C_RDWR,
            ["ioctl_I2C_SMBUS"] = I2C_SMBUS,
            ["const_I2C_FUNC_I2C"] = I2C_FUNC_I2C,
            ["const_I2C_FUNC_SMBUS_WRITE_BYTE"] = I2C_FUNC_SMBUS_WRITE_BYTE,
            ["const_I2C_FUNC_SMBUS_READ_BYTE_DATA"] = I2C_FUNC_SMBUS_READ_BYTE_DATA,
            ["const_I2C_FUNC_SMBUS_WRITE_BYTE_DATA"] = I2C_FUNC_SMBUS_WRITE_BYTE_DATA,
            ["const_I2C_FUNC_SMBUS_READ_WORD_DATA"] = I2C_FUNC_SMBUS_READ_WORD_DATA,
            ["const_I2C_FUNC_SMBUS_WRITE_WORD_DATA"] = I2C_FUNC_SMBUS_WRITE_WORD_DATA,
            ["const_I2C_FUNC_SMBUS_READ_I2C_BLOCK"] = I2C_FUNC_SMBUS_READ_I2C_BLOCK,
            ["const_I2C_FUNC_SMBUS_WRITE_I2C_BLOCK"] = I2C_FUNC_SMBUS_WRITE_I2C_BLOCK,
            ["const_I2C_M_RD"] = I2C_M_RD,
            ["const_I2C_SMBUS_READ"] = I2C_SMBUS_READ,
            ["const_I2C_SMBUS_WRITE"] = I2C_SMBUS_WRITE,
            ["const_I2C_SMBUS_BYTE"] = I2C_SMBUS_BYTE,
            ["const_I2C_SMBUS_BYTE_DATA"] = I2C_SMBUS_BYTE_DATA,
            ["const_I2C_SMBUS_WORD_DATA"] = I2C_SMBUS_WORD_DATA,
            ["const_I2C_SMBUS_I2C_BLOCK_DATA"] = I2C_SMBUS_I2C_BLOCK_DATA,
            ["const_I2C_SMBUS_BLOCK_MAX"] = I2C_SMBUS_BLOCK_MAX,
            ["const_I2C_RDWR_IOCTL_MAX_MSGS"] = I2C_RDWR_IOCTL_MAX_MSGS,
            ["sizeof_i2c_msg"] = (ulong)sizeof(I2cMsg),
            ["offsetof_i2c_msg_addr"] = Off(&msg.Addr, &msg),
            ["offsetof_i2c_msg_flags"] = Off(&msg.Flags, &msg),
            ["offsetof_i2c_msg_len"] = Off(&msg.Len, &msg),
            ["offsetof_i2c_msg_buf"] = Off(&msg.Buf, &msg),
            ["sizeof_i2c_rdwr_ioctl_data"] = (ulong)sizeof(RdwrIoctlData),
            ["offsetof_i2c_rdwr_ioctl_data_msgs"] = Off(&rdwr.Msgs, &rdwr),
            ["offsetof_i2c_rdwr_ioctl_data_nmsgs"] = Off(&rdwr.NMsgs, &rdwr),
            ["sizeof_i2c_smbus_ioctl_data"] = (ulong)sizeof(SmbusIoctlData),
            ["offsetof_i2c_smbus_ioctl_data_read_write"] = Off(&smbus.ReadWrite, &smbus),
            ["offsetof_i2c_smbus_ioctl_data_command"] = Off(&smbus.Command, &smbus),
            ["offsetof_i2c_smbus_ioctl_data_size"] = Off(&smbus.Size, &smbus),
            ["offsetof_i2c_smbus_ioctl_data_data"] = Off(&smbus.Data, &smbus),
            ["sizeof_i2c_smbus_data"] = (ulong)sizeof(SmbusData),
            ["offsetof_i2c_smbus_data_byte"] = Off(&data.Byte, &data),
            ["offsetof_i2c_smbus_data_word"] = Off(&data.Word, &data),
            ["offsetof_i2c_smbus_data_block"] = Off(data.Block, &data),
        };
    }

    [Fact]
    public void X64_request_numbers_constants_and_layouts_match_the_compiled_headers() =>
        Compare("x86_64", NativeToolchain.CompileAndRun(Fixture, "-DABI_MAIN"));

    [LibcAbiTests.CrossCompilerFact("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu libc6-dev-arm64-cross")]
    public void Arm64_request_numbers_constants_and_layouts_match_the_cross_headers() =>
        Compare("arm64", NativeToolchain.CompileToAssembly("aarch64-linux-gnu-gcc", Fixture));

    [Fact]
    public void The_comparison_notices_a_struct_that_differs_from_the_header()
    {
        Dictionary<string, ulong> header = NativeToolchain.CompileAndRun(Fixture, "-DABI_MAIN");
        header["offsetof_i2c_msg_buf"] = 4;  // as a 32-bit ABI would lay it out
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare("ilp32", header));
    }

    private static void Compare(string abi, Dictionary<string, ulong> header)
    {
        Dictionary<string, ulong> managed = Managed();
        Assert.Equal(header.Keys.Order(), managed.Keys.Order());
        foreach ((string key, ulong value) in managed)
        {
            Assert.True(header[key] == value, $"{abi} {key}: linux/i2c-dev.h and linux/i2c.h say {header[key]} (0x{header[key]:x}), Interop.I2cDev uses {value} (0x{value:x})");
        }
    }
}
