namespace SocketHub.Protocol.Chat;

/// <summary>
/// The JSON port's words: the status words and sentences of the COMP3331 messenger's server,
/// word for word (its typos fixed where noted), and the few SocketHub adds for its own rules.
/// </summary>
public static class ChatJsonTexts
{
    public const string Success = "success";
    public const string Unsuccessful = "unsuccessful";
    public const string Unknown = "unknown";
    public const string Logout = "logout";
    public const string Message = "message";
    public const string Broadcast = "broadcast";
    public const string ServerMessage = "serverMessage";

    /// <summary>The original spells the command of <c>startprivate</c>'s replies this way, and its client looks for it.</summary>
    public const string StartPrivateCommand = "startPrivate";

    public const string InvalidCredentials = "Invalid credentials";
    public const string AlreadyLoggedIn = "You're already logged in elsewhere.";
    public const string CannotMessageSelf = "Cannot message yourself";
    public const string EmptyMessage = "Cannot send empty string";
    public const string CannotBlockSelf = "You cannot block yourself";
    public const string CannotUnblockSelf = "You cannot unblock yourself";
    public const string CannotPrivateSelf = "Cannot start private with yourself!";
    public const string Broadcasted = "Your message has been broadcasted!";
    public const string BroadcastedSomeMissed = "Your message has been broadcasted! [Note that some recipients may not have received your broadcast]";
    public const string ActiveHeader = "Users currently active:\n===========\n";
    public const string ListRule = "===========";
    public const string MalformedRequest = "Malformed request";
    public const string PrivateClosed = "Private chat is being closed.";

    public static string RequestTooLong(int bytes) => $"Request too long: at most {bytes} bytes";

    public static string Blocked(double seconds) => $"You've been blocked, please try in {seconds:0.###}(s).";

    public static string LoggedInAs(string user) => $"Logged in as {user}";

    public static string Unread(string sender, string text) => $" <Message from {sender}> {text}";

    public static string UnknownCommand(string command) => $"Command unknown: {command}";

    public static string MissingArguments(string command) => $"Missing arguments for {command}.";

    public static string MessageSent(string user) => $"Your message to {user} has been sent.";

    public static string MessageStored(string user) => $"Your message will be sent when {user} is online.";

    public static string UserNotFound(string user) => $"User '{user}' not found.";

    public static string UnableToReach(string user) => $"Unable to reach {user}";

    public static string SinceHeader(string seconds) => $"Users active since {seconds}(s):\n===========\n";

    public static string ListLine(string user) => $" * {user}\n";

    public static string UserBlocked(string user) => $"You have blocked {user}";

    public static string UserUnblocked(string user) => $"You have unblocked {user}";

    /// <summary>The original meant to say this for block and unblock (its unblock text read "does not exit").</summary>
    public static string DoesNotExist(string user) => $"Error: {user} does not exist.";

    public static string WasNotBlocked(string user) => $"{user} was not blocked.";

    public static string ReadyForPrivate(string user) => $"Ready to start a private connection with {user}";

    public static string PrivateUnknown(string user) => $"Cannot start private with '{user}' - User Unknown";

    public static string PrivateOffline(string user) => $"Cannot start private with '{user}' - User offline";

    /// <summary>With several nodes: the peer is in the room on another node; peer-to-peer lookups pair users of one node.</summary>
    public static string PrivateOtherNode(string user) => $"Cannot start private with '{user}' - User on another node";

    public static string PrivateUnavailable(string user) => $"Cannot start private with '{user}' - User unavailable";

    /// <summary>SocketHub's: a text-port user listens nowhere, so there is no address to give.</summary>
    public static string PrivateTextPort(string user) => $"Cannot start private with '{user}' - User is on the text port, use message";

    public static string Online(string user) => $"{user} is online!";

    public static string Left(string user) => $"{user} has left the server.";
}
