// Mizan: the policy language of SAVM (docs/mizan.md, docs/design/mizan-syntax.md).
//
// The grammar is free-form: line breaks and indentation carry no meaning, and every declaration
// starts with a reserved word, so a statute-shaped layout is a convention, never a requirement.
// Literal values are lexed permissively (any digits, any unit word, any YYYY-MM-DD) and validated
// in the AST builder (lang/parser.cpp), which reports precise codes: M0005 bad number, M0006 bad
// currency or unit, M0007 impossible date. Lexical garbage becomes ERROR_CHAR or
// UNTERMINATED_STRING tokens instead of lexer errors, so every problem gets its own code.
grammar Mizan;

// ---------------------------------------------------------------------------------------------
// Pack structure

pack : packHeader useDecl* decl* EOF ;

packHeader : packKind dottedId title=STRING? headerField* ;
packKind : LAWPACK | REGPACK | LICENSEPACK | MODULE ;
headerField
  : JURISDICTION dottedId        # jurisdictionField
  | VERSION STRING               # versionField
  | SOURCE STRING                # sourceField
  | HORIZON interval             # horizonField
  ;

useDecl : USE packKind? dottedId (AS name)? ;

decl
  : recordDecl
  | enumDecl
  | ruleDecl
  | tableDecl
  | transitionDecl
  | triggerDecl
  | testDecl
  ;

// ---------------------------------------------------------------------------------------------
// Types

typeExpr : qualifiedName (LT typeArg (COMMA typeArg)* GT)? ;
typeArg : typeExpr | NUMBER ;
qualifiedName : name (DOT name)* ;

recordDecl : RECORD name LBRACE (fieldDecl COMMA?)* RBRACE ;
fieldDecl : name COLON typeExpr ;

enumDecl : ENUM name LBRACE enumVariant (COMMA enumVariant)* COMMA? RBRACE ;
enumVariant : name ;

// ---------------------------------------------------------------------------------------------
// Rules and compliance verdicts: one body, or dated versions of it.

ruleDecl : ruleKind=(RULE | COMPLIANCE) name params? ARROW typeExpr cites? ruleBody ;
params : LPAREN (param (COMMA param)* COMMA?)? RPAREN ;
param : name COLON typeExpr ;
cites : CITES STRING (COMMA STRING)* ;

ruleBody : definition | version+ ;
version : IN FORCE interval cites? COLON definition ;
definition
  : ASSIGN expr                            # plainDefinition
  | DEFAULT expr exceptionClause*          # defaultDefinition
  ;
exceptionClause : EXCEPTION name PRIORITY NUMBER cites? WHEN expr COLON expr ;

interval : from=DATE RANGE to=DATE? ;

// ---------------------------------------------------------------------------------------------
// Tables: rows keyed by brackets, ranges or values; optional named result columns.

tableDecl : TABLE name params ARROW typeExpr cites? columns? tableBody ;
columns : COLUMNS name (COMMA name)* ;
tableBody : tableRow+ | tableSection+ ;
tableSection : IN FORCE interval cites? COLON tableRow+ ;
tableRow : PIPE rowKey (COMMA rowKey)* FAT_ARROW expr (COMMA expr)* rowInForce? ;
rowInForce : IN FORCE interval ;
rowKey
  : UP TO addExpr                 # upToKey
  | ABOVE addExpr                 # aboveKey
  | ELSE                          # elseKey
  | addExpr (RANGE addExpr)?      # valueKey
  ;

// ---------------------------------------------------------------------------------------------
// Effects: transitions write, triggers bind events to actions.

transitionDecl : TRANSITION name params cites? transitionClause* ;
transitionClause
  : LET name ASSIGN expr                          # letClause
  | REQUIRES expr                                 # requiresClause
  | WRITES postfixExpr WRITE_ASSIGN expr (EVIDENCE expr)?   # writesClause
  ;

triggerDecl
  : TRIGGER name ON name params? cites?
    (JURISDICTION dottedId)?
    (WHEN expr)?
    (PRIORITY NUMBER)?
    (AUTHORIZATION name)?
    (ACTION expr)+
  ;

// ---------------------------------------------------------------------------------------------
// Tests in the language

testDecl : TEST STRING AT DATE LBRACE testStatement* RBRACE ;
testStatement
  : LET name ASSIGN expr          # testLet
  | EXPECT expr                   # testExpect
  ;

// ---------------------------------------------------------------------------------------------
// Expressions, loosest binding first. Comparisons do not chain (a < b < c is an error), and
// `let` and `if` extend as far right as possible, so they need parentheses inside operators.

expr
  : LET name ASSIGN expr IN expr             # letExpr
  | IF expr THEN expr ELSE expr              # ifExpr
  | orExpr                                   # operatorExpr
  ;
orExpr : andExpr (OR andExpr)* ;
andExpr : notExpr (AND notExpr)* ;
notExpr : NOT notExpr | cmpExpr ;
cmpExpr : addExpr (op=(EQ | NE | LT | LE | GT | GE) addExpr | IS negated=NOT? name)? ;
addExpr : mulExpr (op+=(PLUS | MINUS) mulExpr)* ;
mulExpr : unaryExpr (op+=(STAR | SLASH) unaryExpr)* ;
unaryExpr : MINUS unaryExpr | postfixExpr ;
postfixExpr : primary postfix* ;
postfix
  : DOT name                                 # fieldPostfix
  | LPAREN (argument (COMMA argument)* COMMA?)? RPAREN   # callPostfix
  ;
argument
  : name COLON expr                          # namedArgument
  | lambdaParams ARROW expr                  # lambdaArgument
  | expr                                     # positionalArgument
  ;
lambdaParams : name | LPAREN name (COMMA name)* RPAREN ;

primary
  : NUMBER unit=IDENT                        # unitLiteral
  | NUMBER                                   # numberLiteral
  | PERCENT                                  # percentLiteral
  | DATE                                     # dateLiteral
  | TIMESTAMP                                # timestampLiteral
  | STRING                                   # stringLiteral
  | (TRUE | FALSE)                           # boolLiteral
  | NONE                                     # noneLiteral
  | name                                     # nameRef
  | LPAREN expr RPAREN                       # parenExpr
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK   # listLiteral
  ;

dottedId : name (DOT name)* ;

// Words reserved only where the grammar expects them: they stay usable as names (round(..., to:
// 1 PKR), a field called `source`). Words that can start or continue an expression are hard.
name
  : IDENT | TO | UP | ABOVE | FORCE | COLUMNS | EVIDENCE | ON | ACTION | AUTHORIZATION
  | PRIORITY | SOURCE | VERSION | JURISDICTION | HORIZON | AT | AS | MODULE
  ;

// ---------------------------------------------------------------------------------------------
// Lexer

LAWPACK : 'lawpack' ;
REGPACK : 'regpack' ;
LICENSEPACK : 'licensepack' ;
MODULE : 'module' ;
JURISDICTION : 'jurisdiction' ;
VERSION : 'version' ;
SOURCE : 'source' ;
HORIZON : 'horizon' ;
USE : 'use' ;
AS : 'as' ;
RECORD : 'record' ;
ENUM : 'enum' ;
RULE : 'rule' ;
COMPLIANCE : 'compliance' ;
TABLE : 'table' ;
COLUMNS : 'columns' ;
TRANSITION : 'transition' ;
TRIGGER : 'trigger' ;
TEST : 'test' ;
EXPECT : 'expect' ;
CITES : 'cites' ;
DEFAULT : 'default' ;
EXCEPTION : 'exception' ;
PRIORITY : 'priority' ;
WHEN : 'when' ;
IN : 'in' ;
FORCE : 'force' ;
UP : 'up' ;
TO : 'to' ;
ABOVE : 'above' ;
REQUIRES : 'requires' ;
WRITES : 'writes' ;
EVIDENCE : 'evidence' ;
ON : 'on' ;
AUTHORIZATION : 'authorization' ;
ACTION : 'action' ;
AT : 'at' ;
LET : 'let' ;
IF : 'if' ;
THEN : 'then' ;
ELSE : 'else' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
IS : 'is' ;
TRUE : 'true' ;
FALSE : 'false' ;
NONE : 'none' ;

ARROW : '->' ;
FAT_ARROW : '=>' ;
WRITE_ASSIGN : ':=' ;
RANGE : '..' ;
EQ : '==' ;
NE : '!=' ;
LE : '<=' ;
GE : '>=' ;
LT : '<' ;
GT : '>' ;
ASSIGN : '=' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
DOT : '.' ;
COMMA : ',' ;
COLON : ':' ;
PIPE : '|' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;

TIMESTAMP : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT 'T' DIGIT DIGIT ':' DIGIT DIGIT ':' DIGIT DIGIT 'Z' ;
DATE : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
// 2024-7-1: a date with short fields. Lexed as one token so it is reported (M0007) instead of
// silently meaning the subtraction 2024 - 7 - 1.
BAD_DATE : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT? '-' DIGIT DIGIT? ;
PERCENT : DIGITS ('.' DIGITS)? '%' ;
NUMBER : DIGITS ('.' DIGITS)? ;
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'? ;
IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ;

DOC_COMMENT : '///' ~[\r\n]* -> channel(2) ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;
ERROR_CHAR : . ;

fragment DIGIT : [0-9] ;
fragment DIGITS : DIGIT [0-9_]* ;
