using System.Buffers;
using System.Text;
using SocketHub.Protocol.SecureChat;
using Xunit;

namespace SocketHub.Protocol.Tests.SecureChat;

/// <summary>
/// The frames the server writes, byte for byte as the original's <c>message_encode</c> makes
/// them (the expected bytes were captured between the original client and server).
/// </summary>
public sealed class SecureChatFramingTests
{
    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_clear_frame_is_the_decimal_length_padded_to_64_then_the_text() =>
        Assert.Equal("2" + new string(' ', 63) + "OK", Written(b => SecureChatFraming.WriteText(b, "OK")));

    [Fact]
    public void The_welcome_frame_is_the_originals_byte_for_byte_but_for_the_help_hint()
    {
        var frame = Written(b => SecureChatFraming.WriteText(b, SecureChatTexts.Welcome("alice")));
        // The original sends 115 bytes: "Welcome alice\n" and its greeting.
        const string Original = "Welcome alice\n\t\t\t\tWelcome to the Chat Room!\n\n\t\t\t\tBe respectful and be sure to type\n\t\t\t\tdisconnect to exit the chat.";
        Assert.Equal(115, Encoding.UTF8.GetByteCount(Original));
        var text = Original + SecureChatTexts.HelpHint;
        var length = Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(length.PadRight(64) + text, frame);
    }

    [Fact]
    public void A_clear_frame_counts_utf8_bytes_not_characters() =>
        Assert.Equal("5".PadRight(64) + "héé", Written(b => SecureChatFraming.WriteText(b, "héé")));

    [Fact]
    public void The_header_of_an_encrypted_message_is_the_base64_of_its_length() =>
        Assert.Equal("MzQ0" + new string(' ', 60), Encoding.ASCII.GetString(SecureChatFraming.Header(344, SecureChatHeader.Base64)));

    [Theory]
    [InlineData(0, "0", "MA==")]
    [InlineData(7, "7", "Nw==")]
    [InlineData(451, "451", "NDUx")]
    [InlineData(1024, "1024", "MTAyNA==")]
    [InlineData(int.MaxValue, "2147483647", "MjE0NzQ4MzY0Nw==")]
    public void Headers_are_always_64_bytes(int length, string clear, string base64)
    {
        Assert.Equal(clear.PadRight(64), Encoding.ASCII.GetString(SecureChatFraming.Header(length, SecureChatHeader.Clear)));
        Assert.Equal(base64.PadRight(64), Encoding.ASCII.GetString(SecureChatFraming.Header(length, SecureChatHeader.Base64)));
    }

    [Fact]
    public void A_negative_length_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SecureChatFraming.Header(-1, SecureChatHeader.Clear));

    [Fact]
    public void Write_puts_the_header_before_the_payload()
    {
        var payload = "abc"u8.ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        SecureChatFraming.Write(buffer, payload, SecureChatHeader.Base64);

        Assert.Equal([.. "Mw==".PadRight(64).Select(c => (byte)c), .. payload], buffer.WrittenSpan.ToArray());
    }
}
