using SocketHub.Server.Pipeline;
using SocketHub.Protocol.History;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.History;

/// <summary><c>History:*</c> settings.</summary>
public sealed class HistorySettings : IValidatedSettings
{
    /// <summary>Deliberately unusable: the instructor sets the course's repository here.</summary>
    public const string PlaceholderRepositoryUrl = "https://example.invalid/set-History-RepositoryUrl.git";

    public int Port { get; set; } = 5007;

    /// <summary>The TLS port beside <see cref="Port"/>; unset: the plain port + 10000; 0: no TLS listener.</summary>
    public int? TlsPort { get; set; }

    /// <summary>The user words (passwords) that always work, besides the names made with <c>new</c>.</summary>
    public string[] Users { get; set; } = [];

    /// <summary>Shown in every known user's reply as <c>git clone &lt;url&gt;</c>.</summary>
    public string RepositoryUrl { get; set; } = PlaceholderRepositoryUrl;

    /// <summary>The most history lines operation 2 shows (the newest ones).</summary>
    public int MaxLines { get; set; } = 1000;

    /// <summary>Requests per second per remote address, refilled continuously.</summary>
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests an address may make at once before the rate applies.</summary>
    public int RequestBurst { get; set; } = 20;

    /// <summary>Seconds a client has to send its request line.</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    public void Validate(SettingsCheck check)
    {
        check.AtLeast("History:MaxLines", MaxLines, 1);
        check.AtLeast("History:RequestsPerSecond", RequestsPerSecond, 0.001);
        check.AtLeast("History:RequestBurst", RequestBurst, 1);
        check.AtLeast("History:RequestTimeoutSeconds", RequestTimeoutSeconds, 0.1);
        check.That(
            !string.IsNullOrWhiteSpace(RepositoryUrl) && !RepositoryUrl.Any(char.IsControl),
            $"History:RepositoryUrl must be a URL on one line (got '{RepositoryUrl}').");

        for (var i = 0; i < Users.Length; i++)
        {
            // A request is split on white space, so a user word holding any could never match.
            var user = Users[i] ?? string.Empty;
            check.That(
                user.Length > 0 && !user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)),
                $"History:Users:{i} must be one word without spaces or control characters.");
            check.That(
                user != HistoryRequest.NewUserWord,
                $"History:Users:{i} cannot be '{HistoryRequest.NewUserWord}': that word asks for a new username.");
        }
    }
}
