using System.Security.Cryptography;

namespace SocketHub.Protocol.Tests.SecureChat;

/// <summary>
/// Made with Python's cryptography (the original's library): a client key pair, its public key
/// as the original client sends it (SubjectPublicKeyInfo PEM) and as PKCS#1, and
/// <c>"hello\n"</c> encrypted to it under OAEP-SHA-256 and base64-encoded, as <c>secure_send</c> does.
/// </summary>
internal static class SecureChatVectors
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SecureChat", "Vectors", name));

    public static string PrivatePem => Read("client-private.pem");

    public static string PublicPem => Read("client-public.pem");

    public static string PublicPkcs1Pem => Read("client-public-pkcs1.pem");

    public static string EcPublicPem => Read("ec-public.pem");

    public static string Rsa1024PublicPem => Read("rsa1024-public.pem");

    /// <summary>Base64 of the ciphertext of <c>"hello\n"</c>.</summary>
    public static string HelloCiphertext => Read("hello-ciphertext.b64");

    public static RSA PrivateKey()
    {
        var key = RSA.Create();
        key.ImportFromPem(PrivatePem);
        return key;
    }
}
