using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Crypto;

/// <summary>The Fernet service: <c>Crypto:*</c>, the key ring (read or made at start) and its counters, one listener.</summary>
public sealed class CryptoModule : DialectModule
{
    public override string Name => CryptoDialect.Info.Name;

    public override void Add(DialectModuleContext context)
    {
        var settings = context.Settings<CryptoSettings>("Crypto");
        context.MakeAtStart<CryptoKeyRing>();
        context.Services.AddSingleton<CryptoStats>();
        context.Listen<CryptoProtocol, string?, CryptoAnswer>(CryptoDialect.Info, "Crypto:Port", settings.Port, settings.TlsPort);
        context.Audit("crypto", services =>
        {
            var crypto = services.GetRequiredService<CryptoStats>();
            return new CryptoAudit(crypto.Operations, crypto.Failures, crypto.Encrypted, crypto.Decrypted, crypto.KeysGiven);
        });

        // CryptoStats publishes these on the meter itself, tagged by operation and reason.
        context.Figure(new DialectFigure("crypto-operations", "Crypto operations", services => services.GetRequiredService<CryptoStats>().Operations));
        context.Figure(new DialectFigure("crypto-failures", "Crypto failures", services => services.GetRequiredService<CryptoStats>().Failures));
    }
}

/// <summary>/audit's <c>crypto</c> section.</summary>
public sealed record CryptoAudit(long Operations, long Failures, long Encrypted, long Decrypted, long KeysGiven);
