using System.Formats.Asn1;
using System.Security.Cryptography;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

public sealed class SecureChatKeysTests
{
    [Fact]
    public void A_public_key_exports_byte_for_byte_as_python_writes_it()
    {
        using var key = SecureChatVectors.PrivateKey();

        var pem = SecureChatKeys.ExportPublicKeyPem(key);

        Assert.Equal(SecureChatVectors.PublicPem, pem);
        Assert.Equal(451, pem.Length);
    }

    [Fact]
    public void The_original_clients_public_key_imports()
    {
        Assert.True(SecureChatKeys.TryImportPublicKey(SecureChatVectors.PublicPem, out var key, out var problem), problem);
        using (key)
        {
            Assert.Equal(2048, key.KeySize);
            Assert.Equal(SecureChatVectors.PublicPem, SecureChatKeys.ExportPublicKeyPem(key));
        }
    }

    [Fact]
    public void A_pkcs1_public_key_imports_as_pythons_loader_takes_it_too()
    {
        Assert.True(SecureChatKeys.TryImportPublicKey(SecureChatVectors.PublicPkcs1Pem, out var key, out var problem), problem);
        using (key)
        {
            Assert.Equal(SecureChatVectors.PublicPem, SecureChatKeys.ExportPublicKeyPem(key));
        }
    }

    [Fact]
    public void An_imported_key_encrypts_what_the_private_key_decrypts()
    {
        Assert.True(SecureChatKeys.TryImportPublicKey(SecureChatVectors.PublicPem, out var key, out _));
        using var priv = SecureChatVectors.PrivateKey();
        var payload = SecureChatCipher.Encrypt(key, "to the client");

        Assert.True(SecureChatCipher.TryDecrypt(priv, payload, out var text, out _));
        Assert.Equal("to the client", text);
    }

    [Fact]
    public void Whitespace_around_the_pem_block_is_accepted() =>
        Assert.True(SecureChatKeys.TryImportPublicKey("\n  " + SecureChatVectors.PublicPem + "\r\n\n", out _, out _));

    [Theory]
    [InlineData("", "the key is not PEM text (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)")]
    [InlineData("hello", "the key is not PEM text (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "the PEM block is not an RSA public key")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "the PEM block is labelled 'CERTIFICATE', not PUBLIC KEY")]
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n", "the PEM block is not a PKCS#1 RSA public key")]
    public void Text_that_is_not_a_public_key_is_refused_with_the_reason(string pem, string expected)
    {
        Assert.False(SecureChatKeys.TryImportPublicKey(pem, out var key, out var problem));
        Assert.Null(key);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void A_private_key_is_refused_and_never_imported()
    {
        Assert.False(SecureChatKeys.TryImportPublicKey(SecureChatVectors.PrivatePem, out _, out var problem));
        Assert.Equal("the PEM block is labelled 'PRIVATE KEY', not PUBLIC KEY", problem);
    }

    [Fact]
    public void An_ec_public_key_is_refused()
    {
        Assert.False(SecureChatKeys.TryImportPublicKey(SecureChatVectors.EcPublicPem, out _, out var problem));
        Assert.Equal("the PEM block is not an RSA public key", problem);
    }

    [Fact]
    public void An_rsa_1024_key_is_refused_as_too_small()
    {
        Assert.False(SecureChatKeys.TryImportPublicKey(SecureChatVectors.Rsa1024PublicPem, out _, out var problem));
        Assert.Equal("the RSA key has 1024 bits; 2048-4096 are accepted", problem);
    }

    [Fact]
    public void An_rsa_4096_key_is_accepted_and_an_8192_one_is_not()
    {
        using var big = RSA.Create(4096);
        Assert.True(SecureChatKeys.TryImportPublicKey(SecureChatKeys.ExportPublicKeyPem(big), out _, out _));

        // A hand-made 8192-bit modulus: generating one takes too long for a unit test.
        var modulus = new byte[1024];
        modulus[0] = 0xC0;
        modulus[^1] = 0x01;
        using var huge = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = [1, 0, 1] });
        Assert.False(SecureChatKeys.TryImportPublicKey(huge.ExportSubjectPublicKeyInfoPem(), out _, out var problem));
        Assert.Equal("the RSA key has 8192 bits; 2048-4096 are accepted", problem);
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 1, 0, 0 })]
    public void A_key_with_an_unusable_exponent_is_refused(byte[] exponent)
    {
        using var key = SecureChatVectors.PrivateKey();
        var modulus = key.ExportParameters(includePrivateParameters: false).Modulus!;

        Assert.False(SecureChatKeys.TryImportPublicKey(SpkiPem(modulus, exponent), out _, out var problem));
        Assert.Equal("the PEM block is not an RSA public key", problem);
        // The hand-written key itself is sound: with 65537 it imports, as the original it copies.
        Assert.True(SecureChatKeys.TryImportPublicKey(SpkiPem(modulus, [1, 0, 1]), out _, out _));
        Assert.Equal(SecureChatVectors.PublicPem, SpkiPem(modulus, [1, 0, 1]));
    }

    [Fact]
    public void Text_after_the_pem_block_is_refused()
    {
        Assert.False(SecureChatKeys.TryImportPublicKey(SecureChatVectors.PublicPem + "extra", out _, out var problem));
        Assert.Equal("the key has text before or after its PEM block", problem);
    }

    [Fact]
    public void A_label_in_the_reason_is_shortened_and_stripped_of_odd_characters()
    {
        var label = new string('A', 50) + "\u001b";
        Assert.False(SecureChatKeys.TryImportPublicKey($"-----BEGIN {label}-----\nAAAA\n-----END {label}-----\n", out _, out var problem));
        Assert.DoesNotContain("\u001b", problem, StringComparison.Ordinal);
    }

    /// <summary>SubjectPublicKeyInfo for any modulus and exponent, written by hand (.NET refuses to make a bad key).</summary>
    private static string SpkiPem(byte[] modulus, byte[] exponent)
    {
        var rsaKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaKey.PushSequence())
        {
            rsaKey.WriteIntegerUnsigned(modulus);
            rsaKey.WriteIntegerUnsigned(exponent);
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(rsaKey.Encode());
        }

        return PemEncoding.WriteString("PUBLIC KEY", spki.Encode()) + "\n";
    }
}
