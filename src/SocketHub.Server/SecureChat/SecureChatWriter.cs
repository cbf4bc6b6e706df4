using System.Buffers;
using System.Security.Cryptography;
using SocketHub.Protocol.Chat;
using SocketHub.Protocol.SecureChat;

namespace SocketHub.Server.SecureChat;

/// <summary>
/// Formats one session's outgoing lines, on the session's writer loop: each becomes one or more
/// messages in the original's form (<see cref="SecureChatFormat"/>), each encrypted to this
/// client's public key and framed. Only that one loop uses the key, so it needs no lock.
/// </summary>
public sealed class SecureChatWriter : IDisposable
{
    private RSA? _clientKey;

    /// <summary>True once the key exchange has given the client's key (nothing can be sent before).</summary>
    public bool HasKey => Volatile.Read(ref _clientKey) is not null;

    /// <summary>Set once, before the session's writer starts.</summary>
    public void SetKey(RSA clientKey) => Volatile.Write(ref _clientKey, clientKey);

    public void Write(ChatOutput output, IBufferWriter<byte> to)
    {
        var key = _clientKey ?? throw new InvalidOperationException("The secure chat writer started before the key exchange.");
        foreach (var message in SecureChatFormat.Messages(output, SecureChatCipher.MaxPlaintextBytes(key.KeySize)))
        {
            SecureChatCipher.WriteEncrypted(to, key, message);
        }
    }

    public void Dispose() => _clientKey?.Dispose();
}
