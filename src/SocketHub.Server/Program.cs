using Serilog;
using SocketHub.Server.Hosting;
using SocketHub.Server.Logging;
using SocketHub.Server.Ops;

if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args[1..]);
}

// Until the host has read its "Serilog" settings, and for a start that fails, log to the console.
Log.Logger = SerilogSetup.CreateBootstrapLogger();
try
{
    await using var app = await SocketHubHost.StartAsync(args);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (InvalidSettingsException e)
{
    Log.Fatal("{Reason}", e.Message);
    return 2;
}
catch (SocketHub.Server.Data.DatabaseUnusableException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (PortInUseException e)
{
    Log.Fatal("{Reason}", e.Message);
    return 3;
}
catch (Exception e)
{
    Log.Fatal(e, "SocketHub could not start");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
