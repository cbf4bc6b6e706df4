using System.Runtime.InteropServices;

namespace SocketHub.Server.Chat;

/// <summary>
/// On Linux, the thread hashing a <see cref="ChatHashLane.Other"/> check runs at a lower
/// scheduling priority (nice 10): under load a flood of such hashes yields to a returning user's
/// hash, the server's I/O and the other dialects, with about a tenth of a core each against a
/// busy one, where nice 19 would leave a student's registration crawling on a busy machine.
/// Lowering one's own priority needs no privilege. Elsewhere, or when the call fails, nothing changes.
/// </summary>
internal static partial class ChatHashThreadPriority
{
    private const int PrioProcess = 0;

    /// <summary>The nice value of a doubtful hash's thread.</summary>
    public const int Nice = 10;

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
            _ = SetPriority(PrioProcess, GetThreadId(), Nice);
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
