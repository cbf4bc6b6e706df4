using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

public sealed class ChatUsernameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Alice")]
    [InlineData("user_1.name-x")]
    [InlineData("01234567890123456789012345678901")]
    public void Accepts_1_to_32_of_the_allowed_characters(string name) => Assert.True(ChatUsername.IsValid(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("012345678901234567890123456789012")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("émile")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("ａ")]
    public void Refuses_anything_else(string? name) => Assert.False(ChatUsername.IsValid(name));

    [Theory]
    [InlineData("SERVER")]
    [InlineData("Server")]
    [InlineData("server")]
    [InlineData("s.e.r.v.e.r")]
    [InlineData("_Server_")]
    [InlineData("server-")]
    [InlineData("SocketHub")]
    [InlineData("SYSTEM")]
    public void Names_that_could_pass_for_the_server_are_reserved(string name)
    {
        Assert.True(ChatUsername.IsValid(name));
        Assert.True(ChatUsername.IsReserved(name));
    }

    [Theory]
    [InlineData("servers")]
    [InlineData("server2")]
    [InlineData("serve")]
    [InlineData("alice")]
    [InlineData("observer")]
    public void Other_names_are_not(string name) => Assert.False(ChatUsername.IsReserved(name));
}
