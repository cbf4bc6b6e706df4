using SocketHub.Server.Pipeline;
using SocketHub.Protocol.Crypto;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Crypto;

/// <summary><c>Crypto:*</c> settings.</summary>
public sealed class CryptoSettings : IValidatedSettings
{
    public int Port { get; set; } = 8000;

    /// <summary>The TLS port beside <see cref="Port"/>; unset: the plain port + 10000; 0: no TLS listener.</summary>
    public int? TlsPort { get; set; }

    /// <summary>Seconds a connection may go without a complete request before <c>#er#idle timeout#</c> and the close.</summary>
    public double IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Tokens older than this many seconds are refused; 0 means they never expire.</summary>
    public long TtlSeconds { get; set; }

    /// <summary>
    /// Fernet keys for rotation: the first encrypts, every one decrypts (and so does the key the
    /// server generated in its data folder). Empty: the generated key does everything.
    /// </summary>
    public List<string> Keys { get; set; } = [];

    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);

    public TimeSpan? TimeToLive => TtlSeconds > 0 ? TimeSpan.FromSeconds(TtlSeconds) : null;

    public void Validate(SettingsCheck check)
    {
        check.AtLeast("Crypto:IdleTimeoutSeconds", IdleTimeoutSeconds, 0.1);
        check.AtLeast("Crypto:TtlSeconds", TtlSeconds, 0);
        for (var i = 0; i < Keys.Count; i++)
        {
            // Never echo the value: a key that is almost right is almost a secret.
            if (!FernetKey.TryParse(Keys[i], out _))
            {
                check.Problem($"Crypto:Keys:{i} is not a Fernet key (32 bytes in URL-safe base64, 44 characters, as Fernet.generate_key() makes).");
            }
        }
    }
}
