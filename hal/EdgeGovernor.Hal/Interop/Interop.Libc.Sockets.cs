using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace EdgeGovernor.Hal.Interop;

/// <summary>
/// The socket calls the firmware's UDP transport needs beyond <see cref="Socket"/> (Linux): <c>recvmmsg</c> and
/// <c>sendmmsg</c> (many datagrams per system call) and a classic BPF socket filter. Tmds.LibC has neither call
/// nor <c>sock_filter</c>/<c>sock_fprog</c>, and its <c>msghdr</c> exposes fields as properties (which cannot be set
/// in place in a pinned array), so the calls are <c>LibraryImport</c>s and the structures are declared here, with
/// natural layout, which matches the kernel's on LP64 (x86-64, arm64) and ILP32 (arm) alike; <c>LibcAbiTests</c>
/// checks each against the headers. The flags and options are Tmds.LibC's.
/// </summary>
internal static unsafe partial class Libc
{

    /// <summary>int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout).</summary>
    [LibraryImport(LibraryName, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static partial int RecvMMsg(SafeSocketHandle socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    /// <summary>int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags).</summary>
    [LibraryImport(LibraryName, EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMMsg(SafeSocketHandle socket, MMsgHdr* messages, uint count, int flags);

    /// <summary>Attaches a classic BPF program to <paramref name="socket"/> (SO_ATTACH_FILTER); the kernel copies it.</summary>
    internal static void AttachFilter(Socket socket, ReadOnlySpan<SockFilter> program)
    {
        fixed (SockFilter* p = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = p };
            socket.SetRawSocketOption(LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, new ReadOnlySpan<byte>(&fprog, sizeof(SockFprog)));
        }
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct sock_filter (classic BPF instruction).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockFilter(ushort code, byte jumpTrue, byte jumpFalse, uint k)
    {
        public ushort Code = code;
        public byte JumpTrue = jumpTrue;
        public byte JumpFalse = jumpFalse;
        public uint K = k;
    }

    /// <summary>struct sock_fprog.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }
}
