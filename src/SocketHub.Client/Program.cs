using System.Text;
using SocketHub.Client;

Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
return await ClientApp.RunAsync(args, ClientIo.FromConsole(), handleCtrlC: true);
