using System.Buffers;
using System.Text;
using SocketHub.Server.Pipeline;

namespace SocketHub.Server.History;

/// <summary>A history reply as sent: one text, written as UTF-8 straight into the output.</summary>
public readonly record struct HistoryReply(string Text, bool IsError) : IDialectReply
{
    public void WriteTo(IBufferWriter<byte> output) => Encoding.UTF8.GetBytes(Text, output);
}
