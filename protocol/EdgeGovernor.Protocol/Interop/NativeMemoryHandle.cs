using System.Runtime.InteropServices;

namespace EdgeGovernor.Protocol.Interop;

/// <summary>Owns one block of native memory (one SafeHandle per native object).</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    public NativeMemoryHandle(int bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)bytes));
        Length = bytes;
    }

    public int Length { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public byte* Pointer => (byte*)handle;

    protected override bool ReleaseHandle()
    {
        NativeMemory.Clear((void*)handle, (nuint)Length);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
