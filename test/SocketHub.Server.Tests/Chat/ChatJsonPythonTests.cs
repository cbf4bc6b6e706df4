using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// A Python client doing exactly what the COMP3331 messenger's client does on the wire: each
/// request is <c>json.dumps({"command": ..., "data": ...}).encode()</c> with no line end, and
/// each reply is one <c>recv(1024)</c> given to <c>json.loads</c>, which fails on half an object
/// or on two.
/// </summary>
public sealed class ChatJsonPythonTests
{
    private const string Script = """
        import json, socket, sys

        port = int(sys.argv[1])

        def connect():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect(("127.0.0.1", port))
            return s

        def req(command, data=[]):
            return json.dumps({"command": command, "data": data}).encode()

        def recv(s):
            r = json.loads(s.recv(1024).decode())
            return r.get("status"), r.get("data")

        alice, bob = connect(), connect()
        alice.send(req("login", ["alice", "pw"]))
        print(*recv(alice))
        bob.send(req("login", ["bob", "wrong"]))
        print(*recv(bob))
        bob.send(req("login", ["bob", "pw"]))
        print(*recv(bob))
        print(*recv(alice))
        alice.send(req("whoelse"))
        print(*recv(alice))
        alice.send(req("broadcast", ["hello", "", "bob"]))
        print(*recv(alice))
        print(*recv(bob))
        bob.send(req("message", ["alice", "caf\u00e9", "\U0001F600"]))
        print(*recv(bob))
        status, data = recv(alice)
        print(status, data["source"], data["message"] == "caf\u00e9 \U0001F600")
        alice.send(req("bogus"))
        print(*recv(alice))
        alice.send(req("startprivate", ["bob"]))
        status, data = recv(alice)
        print(status, data["command"], data["target"], data["targetAddress"] == list(bob.getsockname()))
        bob.send(req("logout"))
        print(*recv(bob))
        print(bob.recv(1024))
        print(*recv(alice))
        """;

    [Fact]
    public async Task The_original_clients_bytes_get_one_whole_object_per_recv()
    {
        await using var server = await TestServer.StartAsync(ChatTestSettings.With());
        await TextChatUser.RegisterAsync(server, "bob", "pw");
        var output = await Python.RunAsync(Script, server.PortOf("chat-json").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            """
            success {'command': 'login', 'message': 'Logged in as alice', 'unreadMessages': []}
            unsuccessful {'message': 'Invalid credentials'}
            success {'command': 'login', 'message': 'Logged in as bob', 'unreadMessages': []}
            broadcast {'status': 'broadcast', 'sender': 'bob', 'message': 'bob is online!', 'presence': 'login'}
            success {'command': 'whoelse', 'message': 'Users currently active:\n===========\n * bob\n===========', 'users': ['bob']}
            success {'command': 'broadcast', 'message': 'Your message has been broadcasted!'}
            broadcast {'status': 'broadcast', 'sender': 'alice', 'message': 'hello  bob'}
            success {'command': 'message', 'message': 'Your message to alice has been sent.'}
            message bob True
            unknown {'command': 'bogus', 'message': 'Command unknown: bogus'}
            success startPrivate bob True
            logout []
            b''
            broadcast {'status': 'broadcast', 'sender': 'bob', 'message': 'bob has left the server.', 'presence': 'logout'}

            """.ReplaceLineEndings("\n"),
            output.ReplaceLineEndings("\n"));
    }
}
