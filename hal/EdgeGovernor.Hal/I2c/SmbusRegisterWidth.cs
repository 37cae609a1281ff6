namespace EdgeGovernor.Hal.I2c;

/// <summary>
/// How a chip's registers map onto SMBus transfers when the adapter cannot do plain I2C (SMBus-only controllers, and
/// the kernel's <c>i2c-stub</c>): the same choice the kernel's own driver of the chip makes.
/// </summary>
public enum SmbusRegisterWidth
{
    /// <summary>8-bit registers with auto-increment (MCP23017/MCP23008, PCA95x4, PCA9685): a read of N bytes after a
    /// register pointer is an I2C block read, a write of a register and N bytes an I2C block write.</summary>
    Byte,

    /// <summary>16-bit registers sent MSB first (LM75, MCP9808, INA219): a 2-byte read after a register pointer is an SMBus
    /// word read, a register and 2 bytes an SMBus word write (bytes in wire order).</summary>
    Word,
}
