using System.Text;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// Frames far over each limit (with and without a terminator), random bytes, invalid UTF-8, NUL
/// and telnet commands, on every dialect: each gets the dialect's reply from docs/protocols.md
/// (and the close where the document says so), the server stays up, and a normal request works.
/// </summary>
[Trait("Category", "Fault")]
public sealed class HostileFrameTests
{
    private static readonly string[] Settings =
    [
        "History:Users:0=alice",
        "Chat:PasswordIterations=1000",
        "Chat:LinesPerSecond=1000",
        "Chat:LineBurst=1000",
        "Serilog:MinimumLevel:Default=Information",
    ];

    /// <summary>One hostile frame: what to send, the exact reply, and whether the server then closes.</summary>
    private sealed record Case(string Name, byte[] Bytes, string Reply, bool Closes);

    [Fact]
    public async Task Board_answers_each_hostile_frame_as_documented()
    {
        const string tooLong = "ERRBuffer Overloaded%";
        await RunAsync("board", login: null, normal: ("GET99999999%", "MSG[]%"),
        [
            new("over the limit, no %", Ascii("POST" + new string('a', 50_000)), tooLong, Closes: true),
            new("over the limit, then %", Ascii("POST" + new string('a', 50_000) + "%"), tooLong, Closes: true),
            new("unknown command over the limit", Ascii(new string('x', 5000) + "%"), tooLong, Closes: true),
            new("a flood of telnet NOPs", Repeat([0xFF, 0xF1], 10_000), tooLong, Closes: true),
            new("random bytes", [.. RandomBytes(7, 3000, except: "%"), (byte)'%'], "ERRInvalid Encoding%", Closes: false),
            new("invalid UTF-8", [.. "POSTcaf"u8, 0xE9, (byte)'%'], "ERRInvalid Encoding%", Closes: false),
            new("overlong UTF-8 for '%'", [.. "POST"u8, 0xC0, 0xA5, (byte)'%'], "ERRInvalid Encoding%", Closes: false),
            new("a lone surrogate", [.. "POST"u8, 0xED, 0xA0, 0x80, (byte)'%'], "ERRInvalid Encoding%", Closes: false),
            new("NUL in a command", [.. "GE"u8, 0, .. "T%"u8], "ERRUnknown Command%", Closes: false),
            new("telnet negotiation before a command", [0xFF, 0xFB, 0x01, 0xFF, 0xFA, 0x18, 0x01, 0xFF, 0xF0, .. "GET99999999%"u8], "MSG[]%", Closes: false),
            new("a stray IAC in the data", [.. "POST"u8, 0xFF, 0xFE, (byte)'%'], "ERRInvalid Encoding%", Closes: false),
        ]);
    }

    [Fact]
    public async Task History_answers_each_hostile_request_as_documented()
    {
        const string tooLong = "Request too long: at most 2048 bytes.";
        const string notUtf8 = "Request is not valid UTF-8.";
        await RunAsync("history", login: null, normal: ("alice\n", "To download this server code"),
        [
            new("over the limit, no line end", Ascii("alice " + new string('a', 50_000)), tooLong, Closes: true),
            new("over the limit, then a line end", Ascii("alice " + new string('a', 50_000) + "\n"), tooLong, Closes: true),
            new("a flood of telnet NOPs", Repeat([0xFF, 0xF1], 10_000), tooLong, Closes: true),
            new("random bytes", [.. RandomBytes(8, 1500, except: "\r\n"), (byte)'\n'], notUtf8, Closes: true),
            new("invalid UTF-8", [.. "caf"u8, 0xE9, .. " 2\n"u8], notUtf8, Closes: true),
            new("NUL in the user word", [.. "ali"u8, 0, .. "ce 2\n"u8], "Authentication error.", Closes: true),
            new("telnet negotiation before the request", [0xFF, 0xFD, 0x18, 0xFF, 0xF4, .. "nobody\n"u8], "Authentication error.", Closes: true),
        ]);
    }

    [Fact]
    public async Task Crypto_answers_each_hostile_request_as_documented()
    {
        const string tooLarge = "#er#request too large#\n";
        const string invalidEncoding = "#er#invalid encoding#\n";
        await RunAsync("crypto", login: null, normal: ("#en#still here#\n", "#en#gAAAAA"),
        [
            new("over the limit, no line end", Ascii("#en#" + new string('a', 100_000)), tooLarge, Closes: true),
            new("over the limit, then a line end", Ascii("#en#" + new string('a', 100_000) + "\n"), tooLarge, Closes: true),
            new("a flood of telnet NOPs", Repeat([0xFF, 0xF1], 100_000), tooLarge, Closes: true),
            new("random bytes", [.. RandomBytes(9, 3000, except: "\r\n#"), (byte)'\n'], invalidEncoding, Closes: false),
            new("invalid UTF-8", [.. "#en#caf"u8, 0xE9, .. "#\n"u8], invalidEncoding, Closes: false),
            new("invalid UTF-8 in a token", [.. "#de#gAAAA"u8, 0xFE, .. "#\n"u8], invalidEncoding, Closes: false),
            new("NUL in the operation", [.. "#e"u8, 0, .. "#x#\n"u8], "#er#unknown operation#\n", Closes: false),
            new("a forged token", Ascii("#de#gAAAAAB" + new string('A', 120) + "==#\n"), "#er#invalid token#\n", Closes: false),
            new("telnet negotiation before a request", [0xFF, 0xFB, 0x01, .. "#xx#hi#\n"u8], "#er#unknown operation#\n", Closes: false),
        ]);
    }

    [Fact]
    public async Task Chat_text_answers_each_hostile_line_as_documented()
    {
        const string tooLong = "Error. Line too long\n";
        await RunAsync("chat", login: LoginTextAsync, normal: ("whoelse\n", "End of list.\n"),
        [
            new("over the limit, no line end", Ascii(new string('a', 50_000)), tooLong, Closes: true),
            new("over the limit, then a line end", Ascii("broadcast " + new string('a', 50_000) + "\n"), tooLong, Closes: true),
            new("a flood of telnet NOPs", Repeat([0xFF, 0xF1], 10_000), tooLong, Closes: true),
            new("random bytes", [.. RandomBytes(10, 800, except: "\r\n"), (byte)'\n'], "Error. Text must be UTF-8\n", Closes: false),
            new("invalid UTF-8", [.. "broadcast caf"u8, 0xE9, (byte)'\n'], "Error. Text must be UTF-8\n", Closes: false),
            new("NUL in a command", [.. "whoe"u8, 0, .. "lse\n"u8], "Error. Invalid command\n", Closes: false),
            new("telnet interrupt before a command", [0xFF, 0xF4, 0xFF, 0xFD, 0x01, .. "whoelse\n"u8], "End of list.\n", Closes: false),
        ]);
    }

    [Fact]
    public async Task Chat_json_answers_each_hostile_line_as_documented()
    {
        static string Error(string message) => "{\"status\": \"unsuccessful\", \"data\": {\"message\": \"" + message + "\"}}\n";
        await RunAsync("chat-json", login: LoginJsonAsync, normal: ("{\"command\": \"whoelse\"}", "{\"status\": \"success\", \"data\": {\"command\": \"whoelse\""),
        [
            new("over the limit, no line end", Ascii("{\"command\": \"" + new string('a', 50_000)), Error("Request too long: at most 4096 bytes"), Closes: true),
            new("over the limit, then a line end", Ascii("{\"command\": \"" + new string('a', 50_000) + "\"}\n"), Error("Request too long: at most 4096 bytes"), Closes: true),
            // Decision: the JSON port does not remove telnet commands; byte 255 is not UTF-8.
            new("telnet NOPs, then a line end", [.. Repeat([0xFF, 0xF1], 1_000), (byte)'\n'], Error("Error. Text must be UTF-8"), Closes: false),
            new("a flood of telnet NOPs inside a string", [.. "{\"command\": \""u8, .. Repeat([0xFF, 0xF1], 10_000)], Error("Request too long: at most 4096 bytes"), Closes: true),
            new("random bytes", [.. RandomBytes(11, 800, except: "\r\n{"), (byte)'\n'], Error("Error. Text must be UTF-8"), Closes: false),
            new("invalid UTF-8 in a string", [.. "{\"command\": \"broadcast\", \"data\": [\"caf"u8, 0xE9, .. "\"]}\n"u8], Error("Error. Text must be UTF-8"), Closes: false),
            new("NUL inside the JSON", [.. "{\"command\""u8, 0, .. ": \"whoelse\"}\n"u8], Error("Malformed request"), Closes: false),
            new("not JSON at all", Ascii("'); DROP TABLE Users;--\n"), Error("Malformed request"), Closes: false),
            new("a lone high surrogate escaped in the command", Ascii("{\"command\": \"\\ud800\"}\n"), Error("Malformed request"), Closes: false),
            new("a lone low surrogate escaped in the data", Ascii("{\"command\": \"broadcast\", \"data\": [\"x\\udc00y\"]}\n"), Error("Malformed request"), Closes: false),
            new("surrogates escaped in the wrong order", Ascii("{\"command\": \"message\", \"data\": [\"user0\", \"\\udc00\\ud800\"]}\n"), Error("Malformed request"), Closes: false),
            new("a lone surrogate escaped in a member name", Ascii("{\"\\ud800\": 1, \"command\": \"whoelse\"}\n"), Error("Malformed request"), Closes: false),
            new("deeply nested JSON", Ascii(new string('[', 500) + new string(']', 500) + "\n"), Error("Malformed request"), Closes: false),
            new("telnet negotiation, then a line end", [0xFF, 0xFB, 0x01, (byte)'\n'], Error("Error. Text must be UTF-8"), Closes: false),
        ]);
    }

    [Fact]
    public async Task Secure_chat_answers_each_hostile_frame_as_documented()
    {
        // Before the key exchange the dialect's only readable form is a clear frame.
        static string Clear(string text) => Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(64) + text;
        static string NotALength(byte first) => Clear($"Error. Header byte 0 is 0x{first:x2}, not part of a decimal length; closing");
        var random = RandomBytes(12, 3000, except: "0123456789 \t\n\v\f\r");
        await RunAsync("secure-chat", login: null, normal: ("5".PadRight(64) + "alice" + "6".PadRight(64) + "secret", "2".PadRight(64) + "OK"),
        [
            new("an HTTP request", Ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), NotALength((byte)'G'), Closes: true),
            new("a length far over the limit, then the bytes", Ascii("99999999".PadRight(64) + new string('a', 50_000)), Clear("Error. A header announced 99999999 bytes; at most 1024 are read; closing"), Closes: true),
            new("a header of spaces", Ascii(new string(' ', 5000)), Clear("Error. The header holds no decimal length; closing"), Closes: true),
            new("random bytes", random, NotALength(random[0]), Closes: true),
            new("a flood of telnet NOPs", Repeat([0xFF, 0xF1], 10_000), NotALength(0xFF), Closes: true),
            new("NUL after a digit", [(byte)'5', 0, .. new byte[100]], Clear("Error. Header byte 1 is 0x00, not part of a decimal length; closing"), Closes: true),
        ]);
    }

    /// <summary>
    /// Sends each case on a fresh connection (logged in first where the dialect needs it), checks
    /// the exact reply and the close, then a normal request: on the same connection when it stays,
    /// on a new one otherwise. Afterwards the usual checks: health, memory, a clean log.
    /// </summary>
    private static async Task RunAsync(string dialect, Func<TcpTestClient, int, Task>? login, (string Request, string ReplyStart) normal, Case[] cases)
    {
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(Settings);
        var port = server.PortOf(dialect);
        for (var i = 0; i < cases.Length; i++)
        {
            var @case = cases[i];
            await using var client = await TcpTestClient.ConnectAsync(port);
            if (login is not null)
            {
                await login(client, i);
            }

            // On the board, a line end after a frame that leaves the connection open keeps it as a
            // session for the normal request that follows.
            var sent = await client.TrySendAsync(dialect == "board" && !@case.Closes ? [.. @case.Bytes, (byte)'\n'] : @case.Bytes);
            if (@case.Closes)
            {
                // Half-close so the server's linger after "too long" ends at once.
                if (sent)
                {
                    client.ShutdownSend();
                }

                var closed = await client.ReadUntilClosedAsync();
                Assert.True(closed.Text == @case.Reply, $"{dialect}, {@case.Name}: expected '{@case.Reply}', got '{closed.Text}' (reset: {closed.Reset})");
            }
            else
            {
                var reply = await client.ReadUntilAsync(@case.Reply[^1..]);
                Assert.True(reply == @case.Reply, $"{dialect}, {@case.Name}: expected '{@case.Reply}', got '{reply}'");
            }

            await using var fresh = @case.Closes ? await TcpTestClient.ConnectAsync(port) : null;
            var next = fresh ?? client;
            if (fresh is not null && login is not null)
            {
                await login(fresh, i + 1000);
            }

            await next.SendAsync(normal.Request);
            var answer = dialect == "history" ? (await next.ReadUntilClosedAsync()).Text : await next.ReadUntilAsync(normal.Request.EndsWith('%') ? "%" : "\n");
            Assert.True(answer.StartsWith(normal.ReplyStart, StringComparison.Ordinal), $"{dialect}, after {@case.Name}: a normal request got '{answer}'");
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    private static async Task LoginTextAsync(TcpTestClient client, int n)
    {
        Assert.Equal("Username: ", await client.ReadUntilAsync(": "));
        await client.SendAsync($"user{n}\n");
        Assert.Equal("Password: ", await client.ReadUntilAsync(": "));
        await client.SendAsync("secret\n");
        Assert.Equal("Welcome to the greatest messaging application ever!", await client.ReadLineAsync());
    }

    private static async Task LoginJsonAsync(TcpTestClient client, int n)
    {
        await client.SendAsync($"{{\"command\": \"login\", \"data\": [\"user{n}\", \"secret\"]}}");
        Assert.Equal($$$"""{"status": "success", "data": {"command": "login", "message": "Logged in as user{{{n}}}", "unreadMessages": []}}""", await client.ReadLineAsync());
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Repeat(byte[] unit, int times) => [.. Enumerable.Repeat(unit, times).SelectMany(b => b)];

    /// <summary>Seeded random bytes without the dialect's terminators, telnet's IAC or NUL (which may belong to a line end).</summary>
    private static byte[] RandomBytes(int seed, int count, string except)
    {
        var random = new Random(seed);
        var bytes = new byte[count];
        random.NextBytes(bytes);
        var excluded = except.Select(c => (byte)c).Append((byte)0xFF).Append((byte)0).ToHashSet();
        for (var i = 0; i < bytes.Length; i++)
        {
            while (excluded.Contains(bytes[i]))
            {
                bytes[i] = (byte)random.Next(256);
            }
        }

        return bytes;
    }
}
