using SocketHub.Server.Pipeline;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Board;

/// <summary><c>Board:*</c> settings.</summary>
public sealed class BoardSettings : IValidatedSettings
{
    public int Port { get; set; } = 8080;

    /// <summary>The TLS port beside <see cref="Port"/>; unset: the plain port + 10000; 0: no TLS listener.</summary>
    public int? TlsPort { get; set; }

    /// <summary>Seconds a connection may go without a complete command before <c>ERRTimeout!%</c>.</summary>
    public double IdleTimeoutSeconds { get; set; } = 30;

    /// <summary>The most messages one GET returns (the newest ones).</summary>
    public int MaxListed { get; set; } = 100;

    /// <summary>Posts per second per remote address, refilled continuously.</summary>
    public double PostsPerSecond { get; set; } = 10;

    /// <summary>Posts an address may make at once before the rate applies.</summary>
    public int PostBurst { get; set; } = 20;

    /// <summary>
    /// Seconds a client that has sent no line end may take to finish a command it has begun,
    /// before <c>ERRTimeout!%</c> (a program that sent a command without its <c>%</c> and waits).
    /// A terminal session (a line end seen) has the idle timeout instead.
    /// </summary>
    public double UnfinishedCommandTimeoutSeconds { get; set; } = 1;

    /// <summary>
    /// Every connection gets the original's life cycle: answer the commands of the first burst,
    /// then close, even when they end with a line end (by default a line end keeps the session).
    /// </summary>
    public bool OneBatchPerConnection { get; set; }

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);

    public TimeSpan UnfinishedCommandTimeout => TimeSpan.FromSeconds(UnfinishedCommandTimeoutSeconds);

    public void Validate(SettingsCheck check)
    {
        check.AtLeast("Board:IdleTimeoutSeconds", IdleTimeoutSeconds, 0.1);
        check.AtLeast("Board:UnfinishedCommandTimeoutSeconds", UnfinishedCommandTimeoutSeconds, 0.1);
        check.AtLeast("Board:MaxListed", MaxListed, 1);
        check.AtLeast("Board:PostsPerSecond", PostsPerSecond, 0.001);
        check.AtLeast("Board:PostBurst", PostBurst, 1);
    }
}
