/* The tail of every ABI fixture (libc_abi.c, i2c_abi.c), which first defines VALUES(X) as a list of X(key, expression):
 * each value becomes a global "abi_<key>" (read from the assembly of a cross compiler, gcc -S) and, with -DABI_MAIN, a
 * program prints "<key> <value>" (run on the build machine). */
#include <stdio.h>

#define DEFINE(key, expr) const unsigned int abi_##key = (expr);
VALUES(DEFINE)

#ifdef ABI_MAIN
int main(void)
{
#define PRINT(key, expr) printf("%s %u\n", #key, (unsigned int)(expr));
    VALUES(PRINT)
    return 0;
}
#endif
