using SocketHub.Protocol.Text;
using Xunit;

namespace SocketHub.Protocol.Tests.Text;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("two\nlines", "two\\x0alines")]
    [InlineData("forged\r\n[12:00:00 ERR] admin logged in", "forged\\x0d\\x0a[12:00:00 ERR] admin logged in")]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("nul\0byte", "nul\\x00byte")]
    [InlineData("bidi\u202eevil", "bidi\\u202eevil")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("héllo 😀", "héllo 😀")]
    [InlineData("'; DROP TABLE BoardMessages; --", "'; DROP TABLE BoardMessages; --")]
    public void Control_characters_are_made_visible(string input, string expected) =>
        Assert.Equal(expected, LogText.Sanitize(input));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis()
    {
        var logged = LogText.Sanitize(new string('x', 10_000), maxLength: 50);
        Assert.Equal(new string('x', 50) + "…", logged);
    }

    [Fact]
    public void Null_and_empty_log_as_empty() =>
        Assert.Equal(string.Empty, LogText.Sanitize((string?)null));

    [Fact]
    public void Raw_bytes_that_are_not_utf8_are_still_loggable() =>
        Assert.Equal("ok\uFFFD\\x0a", LogText.Sanitize([(byte)'o', (byte)'k', 0xFF, (byte)'\n']));
}
