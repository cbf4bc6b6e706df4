using SocketHub.Protocol.Chat;
using Xunit;

namespace SocketHub.Protocol.Tests.Chat;

/// <summary>The one table of chat commands: the help made from it, and every name it lists read back to its entry.</summary>
public sealed class ChatCommandTableTests
{
    /// <summary>Every name a client may type (aliases included), with its entry.</summary>
    public static TheoryData<string, ChatCommandKind> Names()
    {
        var names = new TheoryData<string, ChatCommandKind>();
        foreach (var command in ChatCommandTable.All)
        {
            foreach (var name in command.Aliases.Prepend(command.Name))
            {
                names.Add(name, command.Kind);
            }
        }

        return names;
    }

    [Fact]
    public void Help_is_the_same_text_byte_for_byte()
    {
        const string help =
            "Commands:\n" +
            "message <user> <text>    send to one user (stored if they are offline)\n" +
            "broadcast <text>         send to everyone online\n" +
            "whoelse                  who else is online\n" +
            "whoelsesince <seconds>   who else was online in the last <seconds>\n" +
            "block <user>             stop receiving from <user>\n" +
            "unblock <user>           receive from <user> again\n" +
            "startprivate <user>      start a private chat with <user>\n" +
            "private <user> <text>    send in a private chat\n" +
            "stopprivate <user>       end a private chat\n" +
            "help                     this list\n" +
            "logout                   leave (also: disconnect)";

        Assert.Equal(help, string.Join('\n', ChatCommandTable.HelpLines));
    }

    [Fact]
    public void Help_lists_the_text_ports_commands_in_table_order()
    {
        var listed = ChatCommandTable.All.Where(command => !command.JsonOnly).Select(command => command.Name);

        Assert.Equal(listed, ChatCommandTable.HelpLines.Skip(1).Select(line => line[..line.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.DoesNotContain(ChatCommandTable.HelpLines, line => line.StartsWith("login", StringComparison.Ordinal) || line.StartsWith("p2p", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_kind_of_command_has_one_entry()
    {
        var kinds = Enum.GetValues<ChatCommandKind>().Except([ChatCommandKind.Invalid, ChatCommandKind.Empty]);

        Assert.Equal(kinds.Order(), ChatCommandTable.All.Select(command => command.Kind).Order());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_name_is_found_as_its_entry(string name, ChatCommandKind kind)
    {
        Assert.True(ChatCommandTable.TryFind(name, out var command));
        Assert.Equal(kind, command.Kind);
        Assert.False(ChatCommandTable.TryFind(name.ToUpperInvariant(), out _));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_name_parses_to_its_entry_on_every_port(string name, ChatCommandKind kind)
    {
        ChatCommandTable.TryFind(name, out var entry);
        string[] words = Arguments(entry!.Arguments);

        var fromWords = ChatCommand.FromWords(name, words);
        Assert.Equal((kind, name, (string?)null), (fromWords.Kind, fromWords.Name, fromWords.Error));

        var json = ChatJsonRequest.FromWords(name, words);
        Assert.Equal((kind, name, (string?)null), (json.Kind, json.Name, json.Error));

        var line = ChatCommand.ParseLine(string.Join(' ', words.Prepend(name)));
        Assert.Equal(entry.JsonOnly ? (ChatCommandKind.Invalid, name, (string?)null) : (kind, name, null), (line.Kind, line.Name, line.Error));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_name_answers_bad_arguments_with_its_own_usage(string name, ChatCommandKind kind)
    {
        ChatCommandTable.TryFind(name, out var entry);
        string[] bad = entry!.Arguments switch
        {
            ChatArguments.None => ["extra"],
            ChatArguments.User => ["bob", "carol"],
            _ => [],
        };

        var command = ChatCommand.FromWords(name, bad);

        Assert.Equal(kind, command.Kind);
        Assert.Equal(ChatTexts.Usage(entry.Synopsis(name)), command.Error);
    }

    [Fact]
    public void An_alias_answers_with_its_own_name()
    {
        Assert.Equal("Error. Usage: disconnect", ChatCommand.ParseLine("disconnect now").Error);
        Assert.Equal("Error. Usage: logout", ChatCommand.ParseLine("logout now").Error);
    }

    private static string[] Arguments(ChatArguments arguments) => arguments switch
    {
        ChatArguments.User => ["bob"],
        ChatArguments.UserText => ["bob", "hi"],
        ChatArguments.Text => ["hi"],
        ChatArguments.Seconds => ["30"],
        ChatArguments.Port => ["5000"],
        ChatArguments.Login => ["alice", "secret"],
        _ => [],
    };
}
