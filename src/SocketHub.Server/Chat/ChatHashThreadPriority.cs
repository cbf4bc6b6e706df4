using System.Runtime.InteropServices;

namespace SocketHub.Server.Chat;

/// <summary>
/// On Linux, the thread hashing a <see cref="ChatHashLane.Other"/> check runs at the lowest
/// scheduling priority (nice 19): under load, the attack's hashes get the CPU only when nothing
/// else wants it, and a returning user's hash, the server's I/O and the other dialects go first.
/// Lowering one's own priority needs no privilege. Elsewhere, or when the call fails, nothing changes.
/// </summary>
internal static partial class ChatHashThreadPriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <summary>Lowers the calling thread's priority; the thread must be one of its own (it keeps the priority until it ends).</summary>
    public static void LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // On Linux, PRIO_PROCESS with a thread id names that thread alone.
            _ = SetPriority(PrioProcess, GetThreadId(), Lowest);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without them: hashes keep the normal priority.
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);
}
