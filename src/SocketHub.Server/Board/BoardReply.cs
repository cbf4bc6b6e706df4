using System.Buffers;
using System.Text;
using SocketHub.Protocol.Board;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.Board;

/// <summary>A board reply: one of the fixed texts of <see cref="BoardReplies"/>, or a message list.</summary>
public readonly record struct BoardReply : IDialectReply
{
    private BoardReply(string? text, IReadOnlyList<(long Id, string Text)>? messages, bool isError)
    {
        Text = text;
        Messages = messages;
        IsError = isError;
    }

    public string? Text { get; }

    public IReadOnlyList<(long Id, string Text)>? Messages { get; }

    public bool IsError { get; }

    public static BoardReply Posted { get; } = new(BoardReplies.Posted, null, false);

    public static BoardReply Error(string text) => new(text, null, true);

    public static BoardReply List(IReadOnlyList<(long Id, string Text)> messages) => new(null, messages, false);

    /// <summary>
    /// Writes the reply's UTF-8 straight into the output: <c>MSG</c>, the list as Python's repr,
    /// <c>%</c>; no reply string is built and then copied to bytes.
    /// </summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Messages is null)
        {
            Encoding.UTF8.GetBytes(Text, output);
            return;
        }

        output.Write("MSG"u8);
        Encoding.UTF8.GetBytes(PythonRepr.FormatMessageList(Messages), output);
        output.Write("%"u8);
    }
}
