using Helpline.Console.Accounts;
using Helpline.Console.Email;
using MassTransit;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Extensions.Hosting;

internal static class EmailExtensions
{
    /// <summary>Email conversations in the console: content kept as Intake sent it (encrypted), the HTML made safe, replies sent through Intake.</summary>
    public static IHostApplicationBuilder AddEmailConversations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SafeHtml>();
        return builder;
    }

    /// <summary>
    /// Intake's email messages (each on its own queue: <c>email-received</c>, <c>email-quarantined</c>,
    /// <c>reply-outcome</c>), and the reopening of closed conversations on the routing queue.
    /// </summary>
    public static void AddEmailConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EmailReceivedConsumer>();
        bus.AddConsumer<EmailQuarantinedConsumer>();
        bus.AddConsumer<ReplyOutcomeConsumer>();
        bus.AddConsumer<EmailRoutingConsumer, EmailRoutingConsumerDefinition>();
    }

    /// <summary>The conversation, its HTML, attachments, draft and replies; templates; the quarantine (docs/api.md, "Email").</summary>
    public static WebApplication MapEmailConversations(this WebApplication app)
    {
        var conversation = app.MapGroup("/api/emails/{contactId:guid}").WithTags("Email");
        conversation.MapGet("/", EmailEndpoints.GetConversation)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetEmailConversation")
            .WithSummary("The conversation's messages (text, whether HTML is there, attachments, reply status) and your draft; audited");
        conversation.MapGet("/messages/{emailId:guid}/html", EmailEndpoints.GetHtml)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetEmailHtml")
            .WithSummary("A message's HTML, sanitised, as a page with its own CSP for a sandboxed frame; audited");
        conversation.MapGet("/attachments/{attachmentId:guid}", EmailEndpoints.GetAttachment)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetEmailAttachment")
            .WithSummary("An attachment as a download (Content-Disposition: attachment, nosniff); audited");
        conversation.MapPut("/draft", EmailEndpoints.PutDraft)
            .RequireAuthorization(Policies.Advisor)
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
            .WithName("PutEmailDraft")
            .WithSummary("Saves the assigned advisor's reply draft (encrypted)");
        conversation.MapPost("/replies", EmailEndpoints.PostReply)
            .RequireAuthorization(Policies.Advisor)
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
            .WithName("PostEmailReply")
            .WithSummary("Sends the assigned advisor's reply through Intake; 409 when the caller's record says email is not safe");

        app.MapGet("/api/email/templates", EmailEndpoints.GetTemplates)
            .WithTags("Email")
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetReplyTemplates")
            .WithSummary("Signposting templates for replies");
        var templates = app.MapGroup("/api/admin/email-templates").WithTags("Email").RequireAuthorization(Policies.Admin);
        templates.MapPost("/", EmailEndpoints.PostTemplate).WithName("CreateReplyTemplate").WithSummary("Adds a reply template; audited");
        templates.MapPut("/{templateId:guid}", EmailEndpoints.PutTemplate).WithName("ChangeReplyTemplate").WithSummary("Changes a reply template; audited");
        templates.MapDelete("/{templateId:guid}", EmailEndpoints.DeleteTemplate).WithName("DeleteReplyTemplate").WithSummary("Removes a reply template; audited");

        var quarantine = app.MapGroup("/api/supervisor/quarantine").WithTags("Email").RequireAuthorization(Policies.Supervisor);
        quarantine.MapGet("/", EmailEndpoints.GetQuarantine).WithName("GetQuarantine").WithSummary("Messages held in quarantine with the reason; audited");
        quarantine.MapPost("/{emailId:guid}/release", EmailEndpoints.Release).WithName("ReleaseQuarantinedEmail").WithSummary("Delivers a held message to its conversation (read leniently); audited");
        quarantine.MapPost("/{emailId:guid}/discard", EmailEndpoints.Discard).WithName("DiscardQuarantinedEmail").WithSummary("Erases a held message's content, keeping its record; audited");
        return app;
    }
}
