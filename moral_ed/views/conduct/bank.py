"""The character bank of a class: balances, the reward catalogue,
redeeming and voiding a redemption."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.feedback import attempt, errors_text, form_errors_text, form_refused
from core.idempotency import exactly_once

from ...forms.conduct import RedeemForm, RedemptionVoidForm, RewardForm, RewardSwitchForm
from ...policies.conduct import can_manage_class, get_class_for_managing, get_class_for_recording
from ...selectors import conduct as selectors
from ...services import conduct as services


def class_bank(request, pk):
    """The character bank: balances, the reward catalogue, redeeming and
    recent redemptions. Anyone who records in the class may look; the
    head teacher changes it."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    can_manage = can_manage_class(request.user, request.school, school_class)
    balances = selectors.bank_balances(school_class)
    rewards = list(selectors.class_rewards(school_class))
    context = {
        "school_class": school_class,
        "balances": balances,
        "rewards": rewards,
        "redemptions": list(selectors.class_redemptions(school_class)[:30]),
        "can_manage": can_manage,
    }
    if can_manage:
        reward_form = RewardForm()
        reward_form.helper.form_action = reverse("moral_ed:reward_add", args=[school_class.pk])
        context.update(
            reward_form=reward_form,
            redeem_form=RedeemForm(students=balances, rewards=[r for r in rewards if r.is_active]),
        )
    return render(request, "moral_ed/conduct/class_bank.html", context)


def _bank(school_class):
    return redirect("moral_ed:class_bank", pk=school_class.pk)


@require_POST
@exactly_once
def reward_add(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RewardForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _bank(school_class)
    try:
        reward = services.reward_save(
            actor=request.user, school_class=school_class, name=form.cleaned_data["name"], cost=form.cleaned_data["cost"]
        )
    except ValidationError as e:
        messages.error(request, errors_text(e))
    except IntegrityError:
        # The same name saved meanwhile (a twin of this request is answered
        # with the first answer: the redirect lets exactly_once find it).
        messages.error(request, _("The class offers a reward with this name already."))
    else:
        messages.success(request, _("Reward “%(name)s” added.") % {"name": reward.name})
    return _bank(school_class)


@require_POST
@exactly_once
def reward_switch(request, pk):
    """Switch a reward of the class off (or on again)."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RewardSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reward from the list."))
        return _bank(school_class)
    reward = get_object_or_404(selectors.class_rewards(school_class), pk=form.cleaned_data["reward"])
    attempt(
        request,
        services.reward_save,
        actor=request.user,
        school_class=school_class,
        name=reward.name,
        cost=reward.cost,
        reward=reward,
        is_active=not reward.is_active,
        success=lambda saved: (_("“%(name)s” is offered again.") if saved.is_active else _("“%(name)s” is no longer offered."))
        % {"name": saved.name},
    )
    return _bank(school_class)


@require_POST
@exactly_once
def bank_redeem(request, pk):
    """Spend a student's balance on a reward; a balance too low is refused
    with the service's message."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    students = list(selectors.class_roster(school_class))
    rewards = list(selectors.class_rewards(school_class, active_only=True))
    form = RedeemForm(request.POST, students=students, rewards=rewards)
    if not form.is_valid():
        form_refused(request, form)
        return _bank(school_class)
    student = next(s for s in students if s.pk == form.cleaned_data["student"])
    reward = next(r for r in rewards if r.pk == form.cleaned_data["reward"])
    attempt(
        request,
        services.reward_redeem,
        actor=request.user,
        student=student,
        reward=reward,
        success=_("%(name)s redeemed “%(reward)s”.") % {"name": student.name, "reward": reward.name},
    )
    return _bank(school_class)


@require_POST
@exactly_once
def redemption_void(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RedemptionVoidForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return _bank(school_class)
    redemption = get_object_or_404(selectors.class_redemptions(school_class), pk=form.cleaned_data["redemption"])
    outcome = attempt(request, services.redemption_void, actor=request.user, redemption=redemption, reason=form.cleaned_data["reason"])
    if outcome.ok and outcome.value:
        messages.success(request, _("The redemption is voided and the points are back in the bank."))
    elif outcome.ok:
        messages.info(request, _("The redemption was voided already."))
    return _bank(school_class)


urls = [
    path("class/<int:pk>/bank/", class_bank, name="class_bank"),
    path("class/<int:pk>/bank/rewards/new/", reward_add, name="reward_add"),
    path("class/<int:pk>/bank/rewards/switch/", reward_switch, name="reward_switch"),
    path("class/<int:pk>/bank/redeem/", bank_redeem, name="bank_redeem"),
    path("class/<int:pk>/bank/void/", redemption_void, name="redemption_void"),
]
