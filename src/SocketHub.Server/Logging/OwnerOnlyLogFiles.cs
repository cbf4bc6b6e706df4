using System.Text;
using Serilog.Sinks.File;
using SocketHub.Server.Hosting;

namespace SocketHub.Server.Logging;

/// <summary>
/// Makes each log file owner-only as the file sink opens it (a new day's file, a roll at the
/// size limit, the file of an earlier run): the sink creates its files with the process's
/// default mode, and the logs hold every address that connected. Named in the file sink's
/// <c>hooks</c> setting by <see cref="SerilogSetup"/>.
/// </summary>
public sealed class OwnerOnlyLogFiles : FileLifecycleHooks
{
    /// <summary>The instance the <c>hooks</c> setting names (<c>Type::Instance, Assembly</c>).</summary>
    public static OwnerOnlyLogFiles Instance { get; } = new();

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        OwnerOnlyFiles.RestrictFile(path);
        return underlyingStream;
    }
}
