using Helpline.Contracts;

namespace Helpline.Routing.Tests;

public sealed class EmailTests
{
    [Fact]
    public void Email_advisor_takes_emails_up_to_capacity_and_then_is_OnContact()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.Emails);
        var emails = Enumerable.Range(0, 4).Select(_ => desk.Email()).ToList();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(emails[i], desk.OfferAt(advisor)?.ContactId);
            desk.Accept(advisor);
        }

        Assert.Equal(AdvisorStatus.OnContact, desk.StatusOf(advisor));
        Assert.Equal(emails.Take(3), desk.AdvisorFact(advisor).OpenEmails);
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(emails[3]));
    }

    [Fact]
    public void Advisor_below_email_capacity_stays_available_for_more_emails()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.Emails, emailCapacity: 2);
        desk.Email();
        var decisions = desk.Accept(advisor);

        Assert.Contains(new AdvisorStatusChanged(advisor, AdvisorStatus.Available, null, desk.Now), decisions);
        var second = desk.Email();
        Assert.Equal(second, desk.OfferAt(advisor)?.ContactId);
    }

    [Fact]
    public void Completing_an_email_frees_a_slot_without_wrap_up()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.Emails, emailCapacity: 1);
        var first = desk.Email();
        desk.Accept(advisor);
        var second = desk.Email();
        desk.AdvanceSeconds(600);

        var decisions = desk.Apply(new ContactCompleted(first));

        Assert.Equal(ContactOutcome.Completed, decisions.Single<ContactEnded>().Outcome);
        Assert.DoesNotContain(decisions, d => d is WrapUpScheduled);
        Assert.Equal(second, desk.OfferAt(advisor)?.ContactId);
    }

    [Fact]
    public void Advisor_with_open_emails_can_be_offered_a_call_by_default()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.CallsAndEmails);
        desk.Email();
        desk.Accept(advisor);

        var call = desk.Call();

        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);
    }

    [Fact]
    public void Calls_while_emailing_can_be_switched_off()
    {
        var desk = new Desk(new RoutingOptions { OfferCallsWhileEmailing = false });
        var advisor = desk.Advisor(Skills.CallsAndEmails);
        var email = desk.Email();
        desk.Accept(advisor);

        var call = desk.Call();
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(call));
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(advisor));

        desk.Apply(new ContactCompleted(email));
        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);
    }

    [Fact]
    public void A_call_is_exclusive_so_no_email_is_offered_during_it()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.CallsAndEmails);
        var call = desk.Call();
        desk.Answer(advisor, call);

        var email = desk.Email();

        Assert.Equal(ContactState.Waiting, desk.State.StateOf(email));
    }

    [Fact]
    public void Emails_can_be_completed_during_a_call_and_on_break()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.CallsAndEmails);
        var first = desk.Email();
        desk.Accept(advisor);
        var second = desk.Email();
        desk.Accept(advisor);
        desk.Answer(advisor, desk.Call());

        desk.Apply(new ContactCompleted(first));
        Assert.Equal(AdvisorStatus.OnContact, desk.StatusOf(advisor));
        Assert.Equal([second], desk.AdvisorFact(advisor).OpenEmails);
    }

    [Fact]
    public void Signing_out_returns_open_emails_to_the_queue_at_their_place()
    {
        var desk = new Desk();
        var leaving = desk.Advisor(Skills.Emails);
        var first = desk.Email();
        desk.Accept(leaving);
        var second = desk.Email();
        desk.Accept(leaving);

        var decisions = desk.Apply(new AdvisorStatusRequested(leaving, AdvisorStatus.Offline));

        Assert.All(decisions.OfType<AssignmentUndone>(), d => Assert.Equal(UndoReason.AdvisorSignedOut, d.Reason));
        Assert.Equal([first, second], decisions.OfType<ContactRequeued>().Select(d => d.ContactId));
        Assert.Equal(AdvisorStatus.Offline, desk.StatusOf(leaving));
        var staying = desk.Advisor(Skills.Emails);
        Assert.Equal(first, desk.OfferAt(staying)?.ContactId);
    }

    [Fact]
    public void Break_keeps_open_emails_with_the_advisor()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.Emails);
        var email = desk.Email();
        desk.Accept(advisor);

        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));

        Assert.Equal([email], desk.AdvisorFact(advisor).OpenEmails);
        Assert.Equal(ContactState.Assigned, desk.State.StateOf(email));
    }

    [Fact]
    public void Email_only_advisor_is_not_counted_as_signed_in_for_calls()
    {
        var desk = new Desk();
        desk.Advisor(Skills.Emails);

        desk.Call();

        Assert.Equal(0, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void A_closed_conversation_reopened_goes_to_its_owner_when_they_have_capacity()
    {
        var desk = new Desk();
        var owner = desk.Advisor(Skills.Emails, emailCapacity: 2);
        var conversation = desk.Email();
        desk.Accept(owner);
        desk.Apply(new ContactCompleted(conversation));
        var other = desk.Advisor(Skills.Emails);

        var decisions = desk.Apply(new ContactArrived(conversation, ContactChannel.Email) { Reopened = true, PreferredAdvisorId = owner });

        Assert.Contains(decisions, d => d is ContactQueued q && q.ContactId == conversation);
        Assert.Equal(conversation, desk.OfferAt(owner)?.ContactId);
        Assert.Null(desk.OfferAt(other));
    }

    [Fact]
    public void A_reopened_conversation_whose_owner_is_full_queues_for_anyone()
    {
        var desk = new Desk();
        var owner = desk.Advisor(Skills.Emails, emailCapacity: 1);
        var conversation = desk.Email();
        desk.Accept(owner);
        desk.Apply(new ContactCompleted(conversation));
        desk.Email();
        desk.Accept(owner);
        var other = desk.Advisor(Skills.Emails);

        desk.Apply(new ContactArrived(conversation, ContactChannel.Email) { Reopened = true, PreferredAdvisorId = owner });

        Assert.Equal(conversation, desk.OfferAt(other)?.ContactId);
    }

    [Fact]
    public void Only_a_reopen_takes_an_ended_contact_in_again_and_only_an_email()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.CallsAndEmails);
        var conversation = desk.Email();
        desk.Accept(advisor);
        desk.Apply(new ContactCompleted(conversation));

        Assert.Equal(RejectionCode.ContactAlreadyEnded, desk.Apply(new ContactArrived(conversation, ContactChannel.Email)).Rejection().Code);
        Assert.Equal(RejectionCode.WrongChannel, desk.Apply(new ContactArrived(desk.NewId(), ContactChannel.Call) { Reopened = true }).Rejection().Code);
    }
}
