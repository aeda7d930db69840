package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ConnectStep;
import io.pathsec.engine.control.api.SaChange;
import io.pathsec.engine.control.api.SaChanged;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionListener.SetupExchange;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.tunnel.IkeTunnelObserver;

/** An IKE tunnel's steps and SA changes as control-API events, and its death as a lost tunnel. */
final class IkeTunnelEvents implements IkeTunnelObserver {
    private final String profile;
    private final TunnelContext context;

    @Override
    public void icmpDecision(io.pathsec.engine.control.api.IcmpDecision decision) {
        context.events().accept(decision);
    }

    IkeTunnelEvents(String profile, TunnelContext context) {
        this.profile = profile;
        this.context = context;
    }

    void progress(ConnectStep step, String detail) {
        context.events().accept(new TunnelProgress(profile, System.currentTimeMillis(), step, detail));
    }

    @Override
    public void setupExchangeSent(SetupExchange exchange, String detail) {
        progress(exchange == SetupExchange.IKE_SA_INIT ? ConnectStep.IKE_SA_INIT : ConnectStep.IKE_AUTH, detail);
    }

    @Override
    public void childSaUp(ChildSa child) {
        sa(SaChange.UP, child, null);
    }

    @Override
    public void childSaRekeyed(ChildSa child, ChildSa replaced) {
        sa(SaChange.REKEYED, child, SaViews.spi(replaced.outboundSpi()));
    }

    @Override
    public void childSaDown(ChildSa child) {
        sa(SaChange.DOWN, child, null);
    }

    @Override
    public void ikeSaRekeyed(IkeSuite.Chosen suite) {
        context.events().accept(new SaChanged(profile, System.currentTimeMillis(), SaChange.IKE_REKEYED, null, null,
                suite.toString(), null));
    }

    @Override
    public void sessionClosed(IkeSessionException cause) {
        if (cause != null) {
            context.lost().accept(IkeFailureWords.of(cause));
        }
    }

    private void sa(SaChange change, ChildSa child, String replaced) {
        context.events().accept(new SaChanged(profile, System.currentTimeMillis(), change,
                SaViews.spi(child.inboundSpi()), SaViews.spi(child.outboundSpi()),
                child.esp().transform().ikeName(), replaced));
    }
}
