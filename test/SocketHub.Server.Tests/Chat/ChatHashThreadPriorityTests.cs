using System.Globalization;
using SocketHub.Server.Chat;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

public sealed class ChatHashThreadPriorityTests
{
    /// <summary>The calling thread's nice value, from <c>/proc/thread-self/stat</c> (field 19).</summary>
    private static int Nice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_thread_lowered_for_a_doubtful_hash_runs_at_nice_10_and_only_that_thread()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities through setpriority are Linux's");
        var before = Nice();
        int? lowered = null;
        var thread = new Thread(() =>
        {
            ChatHashThreadPriority.LowerCurrentThread();
            lowered = Nice();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(10, lowered);
        Assert.Equal(before, Nice());
    }
}
