using System.Net.Sockets;
using MassTransit;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Helpline.ServiceDefaults.Faults;

/// <summary>
/// The one rule for what is worth waiting for: a failure that says a dependency is unreachable or busy
/// (PostgreSQL or RabbitMQ down, a timeout, a serialization conflict or deadlock), anywhere in the
/// exception's chain, or an exception that says so itself (<see cref="TransientException"/>). Anything
/// else is the message's or the code's fault, and retrying it a few times is all that can help.
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
            {
                return true;
            }

            if (current is NpgsqlException { IsTransient: true }
                or TimeoutException
                or SocketException
                or RetryLimitExceededException
                or TransientException
                or RequestTimeoutException
                or RabbitMqConnectionException
                or BrokerUnreachableException
                or AlreadyClosedException
                or ConnectFailureException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A failure that passes once something else has happened (the router has moved, a dependency is back): retried without limit.</summary>
public class TransientException : Exception
{
    public TransientException()
    {
    }

    public TransientException(string message)
        : base(message)
    {
    }

    public TransientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
