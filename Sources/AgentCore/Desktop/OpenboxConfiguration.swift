/// The private openbox configuration a virtual desktop runs with.
///
/// openbox is started with `XDG_CONFIG_HOME` and `XDG_CONFIG_DIRS` both pointing at a directory that
/// holds only these two files, so nothing from `/etc/xdg` is read: no XDG autostart (desktop-perf §3:
/// it made the 5 s mapping stall more frequent) and no distribution menu. The bindings are the usual
/// ones a model may try: click to focus and raise, Alt+drag to move, Alt+Tab, Alt+F4.
enum OpenboxConfiguration {
    /// `openbox/rc.xml`.
    static let rcXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <openbox_config xmlns="http://openbox.org/3.4/rc" xmlns:xi="http://www.w3.org/2001/XInclude">
          <resistance><strength>10</strength><screen_edge_strength>20</screen_edge_strength></resistance>
          <focus>
            <focusNew>yes</focusNew><followMouse>no</followMouse><focusLast>yes</focusLast>
            <underMouse>no</underMouse><focusDelay>0</focusDelay><raiseOnFocus>no</raiseOnFocus>
          </focus>
          <placement><policy>Smart</policy><center>yes</center><monitor>Primary</monitor></placement>
          <theme>
            <name>Clearlooks</name><titleLayout>NLIMC</titleLayout><keepBorder>yes</keepBorder>
            <animateIconify>no</animateIconify>
          </theme>
          <desktops><number>1</number><firstdesk>1</firstdesk><popupTime>0</popupTime></desktops>
          <resize><drawContents>yes</drawContents><popupShow>Never</popupShow></resize>
          <margins><top>0</top><bottom>0</bottom><left>0</left><right>0</right></margins>
          <keyboard>
            <keybind key="A-Tab"><action name="NextWindow"><finalactions>
              <action name="Focus"/><action name="Raise"/><action name="Unshade"/></finalactions></action></keybind>
            <keybind key="A-S-Tab"><action name="PreviousWindow"><finalactions>
              <action name="Focus"/><action name="Raise"/><action name="Unshade"/></finalactions></action></keybind>
            <keybind key="A-F4"><action name="Close"/></keybind>
            <keybind key="A-Escape"><action name="Lower"/><action name="FocusToBottom"/><action name="Unfocus"/></keybind>
          </keyboard>
          <mouse>
            <dragThreshold>1</dragThreshold><doubleClickTime>500</doubleClickTime>
            <screenEdgeWarpTime>0</screenEdgeWarpTime>
            <context name="Frame">
              <mousebind button="A-Left" action="Press"><action name="Focus"/><action name="Raise"/></mousebind>
              <mousebind button="A-Left" action="Drag"><action name="Move"/></mousebind>
              <mousebind button="A-Right" action="Drag"><action name="Resize"/></mousebind>
            </context>
            <context name="Titlebar">
              <mousebind button="Left" action="Drag"><action name="Move"/></mousebind>
              <mousebind button="Left" action="DoubleClick"><action name="ToggleMaximize"/></mousebind>
            </context>
            <context name="Titlebar Top Right Bottom Left TLCorner TRCorner BRCorner BLCorner">
              <mousebind button="Left" action="Press"><action name="Focus"/><action name="Raise"/></mousebind>
            </context>
            <context name="Top"><mousebind button="Left" action="Drag"><action name="Resize"><edge>top</edge></action></mousebind></context>
            <context name="Left"><mousebind button="Left" action="Drag"><action name="Resize"><edge>left</edge></action></mousebind></context>
            <context name="Right"><mousebind button="Left" action="Drag"><action name="Resize"><edge>right</edge></action></mousebind></context>
            <context name="Bottom"><mousebind button="Left" action="Drag"><action name="Resize"><edge>bottom</edge></action></mousebind></context>
            <context name="BRCorner"><mousebind button="Left" action="Drag"><action name="Resize"/></mousebind></context>
            <context name="Client">
              <mousebind button="Left" action="Press"><action name="Focus"/><action name="Raise"/></mousebind>
              <mousebind button="Middle" action="Press"><action name="Focus"/><action name="Raise"/></mousebind>
              <mousebind button="Right" action="Press"><action name="Focus"/><action name="Raise"/></mousebind>
            </context>
            <context name="Close"><mousebind button="Left" action="Click"><action name="Close"/></mousebind></context>
            <context name="Maximize"><mousebind button="Left" action="Click"><action name="ToggleMaximize"/></mousebind></context>
            <context name="Iconify"><mousebind button="Left" action="Click"><action name="Iconify"/></mousebind></context>
          </mouse>
          <menu><file>menu.xml</file><hideDelay>200</hideDelay><middle>no</middle><submenuShowDelay>100</submenuShowDelay></menu>
          <applications/>
        </openbox_config>

        """

    /// `openbox/menu.xml`: an empty root menu (the distribution's would offer programs that are not here).
    static let menuXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <openbox_menu xmlns="http://openbox.org/3.4/menu">
          <menu id="root-menu" label="Openbox 3"/>
        </openbox_menu>

        """
}
