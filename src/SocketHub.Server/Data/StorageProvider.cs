namespace SocketHub.Server.Data;

/// <summary><c>Storage:Provider</c>: which database the server keeps its data in.</summary>
public enum StorageProvider
{
    /// <summary>The file <c>sockethub.db</c> in <c>Storage:DataDirectory</c> (the default).</summary>
    Sqlite,

    /// <summary>The PostgreSQL database <c>ConnectionStrings:SocketHub</c> names, which several servers can share.</summary>
    Postgres,
}
