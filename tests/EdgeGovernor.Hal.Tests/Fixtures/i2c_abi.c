/* The i2c-dev request numbers, constants and struct layouts EdgeGovernor.Hal/Interop/Interop.I2cDev.cs uses, from the
 * kernel's uapi headers of the target (linux/i2c-dev.h, linux/i2c.h). Every value is a global "abi_<key>" (read from
 * the assembly of a cross compiler, gcc -S) and, with -DABI_MAIN, printed as "<key> <value>" by a program (run on the
 * build machine). */
#include <stddef.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>

#define VALUES(X) \
    X(ioctl_I2C_SLAVE, I2C_SLAVE) \
    X(ioctl_I2C_SLAVE_FORCE, I2C_SLAVE_FORCE) \
    X(ioctl_I2C_FUNCS, I2C_FUNCS) \
    X(ioctl_I2C_RDWR, I2C_RDWR) \
    X(ioctl_I2C_SMBUS, I2C_SMBUS) \
    X(const_I2C_FUNC_I2C, I2C_FUNC_I2C) \
    X(const_I2C_FUNC_SMBUS_WRITE_BYTE, I2C_FUNC_SMBUS_WRITE_BYTE) \
    X(const_I2C_FUNC_SMBUS_READ_BYTE_DATA, I2C_FUNC_SMBUS_READ_BYTE_DATA) \
    X(const_I2C_FUNC_SMBUS_WRITE_BYTE_DATA, I2C_FUNC_SMBUS_WRITE_BYTE_DATA) \
    X(const_I2C_FUNC_SMBUS_READ_WORD_DATA, I2C_FUNC_SMBUS_READ_WORD_DATA) \
    X(const_I2C_FUNC_SMBUS_WRITE_WORD_DATA, I2C_FUNC_SMBUS_WRITE_WORD_DATA) \
    X(const_I2C_FUNC_SMBUS_READ_I2C_BLOCK, I2C_FUNC_SMBUS_READ_I2C_BLOCK) \
    X(const_I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, I2C_FUNC_SMBUS_WRITE_I2C_BLOCK) \
    X(const_I2C_M_RD, I2C_M_RD) \
    X(const_I2C_SMBUS_READ, I2C_SMBUS_READ) \
    X(const_I2C_SMBUS_WRITE, I2C_SMBUS_WRITE) \
    X(const_I2C_SMBUS_BYTE, I2C_SMBUS_BYTE) \
    X(const_I2C_SMBUS_BYTE_DATA, I2C_SMBUS_BYTE_DATA) \
    X(const_I2C_SMBUS_WORD_DATA, I2C_SMBUS_WORD_DATA) \
    X(const_I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_I2C_BLOCK_DATA) \
    X(const_I2C_SMBUS_BLOCK_MAX, I2C_SMBUS_BLOCK_MAX) \
    X(const_I2C_RDWR_IOCTL_MAX_MSGS, I2C_RDWR_IOCTL_MAX_MSGS) \
    X(sizeof_i2c_msg, sizeof(struct i2c_msg)) \
    X(offsetof_i2c_msg_addr, offsetof(struct i2c_msg, addr)) \
    X(offsetof_i2c_msg_flags, offsetof(struct i2c_msg, flags)) \
    X(offsetof_i2c_msg_len, offsetof(struct i2c_msg, len)) \
    X(offsetof_i2c_msg_buf, offsetof(struct i2c_msg, buf)) \
    X(sizeof_i2c_rdwr_ioctl_data, sizeof(struct i2c_rdwr_ioctl_data)) \
    X(offsetof_i2c_rdwr_ioctl_data_msgs, offsetof(struct i2c_rdwr_ioctl_data, msgs)) \
    X(offsetof_i2c_rdwr_ioctl_data_nmsgs, offsetof(struct i2c_rdwr_ioctl_data, nmsgs)) \
    X(sizeof_i2c_smbus_ioctl_data, sizeof(struct i2c_smbus_ioctl_data)) \
    X(offsetof_i2c_smbus_ioctl_data_read_write, offsetof(struct i2c_smbus_ioctl_data, read_write)) \
    X(offsetof_i2c_smbus_ioctl_data_command, offsetof(struct i2c_smbus_ioctl_data, command)) \
    X(offsetof_i2c_smbus_ioctl_data_size, offsetof(struct i2c_smbus_ioctl_data, size)) \
    X(offsetof_i2c_smbus_ioctl_data_data, offsetof(struct i2c_smbus_ioctl_data, data)) \
    X(sizeof_i2c_smbus_data, sizeof(union i2c_smbus_data)) \
    X(offsetof_i2c_smbus_data_byte, offsetof(union i2c_smbus_data, byte)) \
    X(offsetof_i2c_smbus_data_word, offsetof(union i2c_smbus_data, word)) \
    X(offsetof_i2c_smbus_data_block, offsetof(union i2c_smbus_data, block))

#include "abi_values.h"
