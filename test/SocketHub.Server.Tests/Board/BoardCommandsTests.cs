using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>
/// Every row of the board's table in the spec, through the board listener's own pipeline on an
/// in-memory connection; the limits that close the connection are checked over a real socket.
/// </summary>
public sealed class BoardCommandsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private InMemoryClient Connect() => _server.ConnectInMemory("board");

    [Fact]
    public async Task New_board_lists_the_start_message()
    {
        await using var client = Connect();
        await client.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Post_is_acknowledged_then_listed_oldest_first()
    {
        await using var client = Connect();
        await client.SendAsync("POSThi%\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync("POSTthere%\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started'), (2, 'hi'), (3, 'there')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Empty_post_is_stored()
    {
        await using var client = Connect();
        await client.SendAsync("POST%GET1%\n");
        Assert.Equal("MSGPosting Message!%MSG[(2, '')]%", await client.ReadRepliesAsync(2));
    }

    [Fact]
    public async Task Prefix_matching_is_case_sensitive_as_in_the_original()
    {
        await using var client = Connect();
        await client.SendAsync("POSTING%GET1%post x%Get%\n");
        Assert.Equal("MSGPosting Message!%MSG[(2, 'ING')]%ERRUnknown Command%ERRUnknown Command%", await client.ReadRepliesAsync(4));
    }

    [Fact]
    public async Task Get_with_a_number_lists_only_newer_messages()
    {
        await using var client = Connect();
        await client.SendAsync("POSTa%POSTb%POSTc%\n");
        await client.ReadRepliesAsync(3);
        await client.SendAsync("GET2%GET4%GET0%\n");
        Assert.Equal(
            "MSG[(3, 'b'), (4, 'c')]%MSG[]%MSG[(1, 'Server has Started'), (2, 'a'), (3, 'b'), (4, 'c')]%",
            await client.ReadRepliesAsync(3));
    }

    [Theory]
    [InlineData("GETx%")]
    [InlineData("GET-1%")]
    [InlineData("GET 2%")]
    [InlineData("GET2x%")]
    public async Task Get_with_anything_else_lists_everything(string command)
    {
        await using var client = Connect();
        await client.SendAsync(command);
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Get_with_a_number_beyond_any_id_lists_nothing()
    {
        await using var client = Connect();
        await client.SendAsync("GET99999999999999999999999999%\n");
        Assert.Equal("MSG[]%", await client.ReadRepliesAsync(1));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("HELLO%")]
    [InlineData("PUT x%")]
    [InlineData("\0%")]
    public async Task Unknown_command_gets_an_error_and_the_connection_stays_usable(string command)
    {
        await using var client = Connect();
        await client.SendAsync(command + "\n");
        Assert.Equal("ERRUnknown Command%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Several_commands_in_one_packet_are_answered_in_order()
    {
        await using var client = Connect();
        await client.SendAsync("POSThi%GET%POSTyo%GET2%\n");
        Assert.Equal(
            "MSGPosting Message!%MSG[(1, 'Server has Started'), (2, 'hi')]%MSGPosting Message!%MSG[(3, 'yo')]%",
            await client.ReadRepliesAsync(4));
    }

    [Fact]
    public async Task Telnet_style_lines_work_because_whitespace_before_a_command_is_skipped()
    {
        await using var client = Connect();
        await client.SendAsync("POSThi%\r\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync(" \t GET1%\r\n");
        Assert.Equal("MSG[(2, 'hi')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Whitespace_inside_a_message_is_kept()
    {
        await using var client = Connect();
        await client.SendAsync("POST  two\r\nlines\t%GET1%\n");
        Assert.Equal("MSGPosting Message!%MSG[(2, '  two\\r\\nlines\\t')]%", await client.ReadRepliesAsync(2));
    }

    [Fact]
    public async Task A_command_split_into_single_bytes_is_reassembled()
    {
        // A terminal that sends each key as it is typed: Enter first makes the connection a session.
        await using var client = Connect();
        await client.SendAsync("\r\n");
        foreach (var b in "POSTé😀%"u8.ToArray())
        {
            await client.SendAsync([b]);
        }

        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET1%\n");
        Assert.Equal("MSG[(2, 'é😀')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Text_comes_back_in_python_repr_form()
    {
        await using var client = Connect();
        await client.SendAsync("POSTit's%POSTsay \"hi\"%POSTboth ' and \"%POSTback\\slash%POSTbell\a%GET1%\n");
        Assert.Equal(
            "MSG[(2, \"it's\"), (3, 'say \"hi\"'), (4, 'both \\' and \"'), (5, 'back\\\\slash'), (6, 'bell\\x07')]%",
            (await client.ReadRepliesAsync(6))[(5 * "MSGPosting Message!%".Length)..]);
    }

    [Fact]
    public async Task Invalid_utf8_gets_an_error_and_the_connection_stays_usable()
    {
        await using var client = Connect();
        await client.SendAsync([.. "POST"u8, 0xC3, 0x28, (byte)'%', (byte)'\n']);
        Assert.Equal("ERRInvalid Encoding%", await client.ReadRepliesAsync(1));
        await client.SendAsync([.. "POST"u8, 0xFF, 0xFE, (byte)'%', (byte)'\n']);
        Assert.Equal("ERRInvalid Encoding%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET%\n");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Telnet_negotiation_is_removed_before_parsing()
    {
        await using var client = Connect();
        await client.SendAsync([255, 251, 1, .. "POS"u8, 255, 244, .. "Thi%\n"u8]);
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET1%\n");
        Assert.Equal("MSG[(2, 'hi')]%", await client.ReadRepliesAsync(1));
    }

    [Fact]
    public async Task Text_of_4000_characters_is_accepted()
    {
        var text = string.Concat(Enumerable.Repeat("é", 4000));
        await using var client = Connect();
        await client.SendAsync("POST" + text + "%\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
        await client.SendAsync("GET1%\n");
        Assert.Equal($"MSG[(2, '{text}')]%", await client.ReadRepliesAsync(1));
    }

    [Theory]
    [InlineData("", 4001)]
    [InlineData("POST", 4001)]
    [InlineData("GET", 5000)]
    public async Task Over_long_command_is_refused_and_the_connection_closed(string prefix, int length)
    {
        await using var client = await TcpTestClient.ConnectAsync(_server.BoardPort);
        await client.SendAsync(prefix + new string('x', length));
        Assert.Equal("ERRBuffer Overloaded%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Flood_far_over_the_limit_still_gets_the_error_before_the_close()
    {
        await using var client = await TcpTestClient.ConnectAsync(_server.BoardPort);
        // The server keeps reading (and dropping) the rest, so the send completes and the reply
        // is not destroyed by a reset when the server closes.
        await client.SendAsync(new string('x', 4 * 1024 * 1024));
        client.ShutdownSend();
        Assert.Equal("ERRBuffer Overloaded%", await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Bytes_after_the_last_terminator_wait_for_more()
    {
        await using var client = Connect();
        await client.SendAsync("\nGET%PO");
        Assert.Equal("MSG[(1, 'Server has Started')]%", await client.ReadRepliesAsync(1));
        await client.SendAsync("STlater%\n");
        Assert.Equal("MSGPosting Message!%", await client.ReadRepliesAsync(1));
    }
}
