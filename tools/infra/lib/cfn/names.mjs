// Names that CloudFormation defines itself.
export const PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition',
  'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

export const TOP_LEVEL_SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules',
  'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Globals']);

export const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy',
  'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);

export const PARAMETER_TYPE = /^(String|Number|List<Number>|CommaDelimitedList|AWS::EC2::[A-Za-z]+::[A-Za-z]+(Name|Id)|AWS::Route53::HostedZone::Id|AWS::SSM::Parameter::(Name|Value<.+>)|List<AWS::EC2::[A-Za-z]+::[A-Za-z]+(Name|Id)>|List<AWS::Route53::HostedZone::Id>)$/;

export const INTRINSICS = new Set(['Ref', 'Condition', 'Fn::And', 'Fn::Base64', 'Fn::Cidr', 'Fn::Equals', 'Fn::FindInMap',
  'Fn::GetAtt', 'Fn::GetAZs', 'Fn::If', 'Fn::ImportValue', 'Fn::Join', 'Fn::Length', 'Fn::Not', 'Fn::Or', 'Fn::Select',
  'Fn::Split', 'Fn::Sub', 'Fn::ToJsonString', 'Fn::Transform']);

export const LOGICAL_ID = /^[A-Za-z0-9]+$/;
